import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { FILE as JUNIT_FILE } from '../../src/outputs/report/junit.js';
import { FILE as SUMMARY_FILE } from '../../src/outputs/report/markdown.js';
import {
  actionInputProblems,
  actionlint,
  codeBlocks,
  gitlabJobs,
  gitlabProblems,
  helpFlags,
  invocations,
  isRecord,
  lines,
  parseYaml,
  resolvedJob,
  type Invocation,
  type LintFinding,
  type Yaml,
} from './ci-checks.js';

/**
 * Issue 14, "a CI gate that works as written": the CI examples and docs/ci.md are read as GitHub,
 * GitLab and d1-conformance would read them (the checks: ./ci-checks.ts), and each check is shown
 * to fail on a broken copy.
 */

const ROOT = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const GITHUB_TEXT = read('examples/github-actions.yml');
const GITLAB_TEXT = read('examples/gitlab-ci.yml');
const DOCS = read('docs/ci.md');
const GITHUB = parseYaml(GITHUB_TEXT);
const GITLAB = parseYaml(GITLAB_TEXT);

/** The snippets of docs/ci.md: the GitHub workflow, the GitLab jobs, and the shell commands. */
const DOC_BLOCKS = codeBlocks(DOCS);
const DOC_GITHUB_TEXT = DOC_BLOCKS.find((b) => b.lang === 'yaml' && b.text.includes('runs-on:'))?.text ?? '';
const DOC_GITLAB_TEXT = DOC_BLOCKS.find((b) => b.lang === 'yaml' && b.text.includes('image: node:'))?.text ?? '';
const DOC_SHELL = DOC_BLOCKS.filter((b) => b.lang === 'sh').map((b) => b.text.replace(/[ \t]+#\s.*$/gm, ''));

/** The package, pinned: the only way the examples may name it. */
const PACKAGE = '@d1-conformance/harness';
const PINNED = /^\d+\.\d+\.\d+$/;
const INSTALL = /^npm install --no-save @d1-conformance\/harness@(\S+)$/m;
const BIN = 'node_modules/.bin/d1-conformance';
const JUNIT_ACTION = /^mikepenz\/action-junit-report@v\d+$/;

/**
 * Each install of the package that is not pinned to an exact version: a line that installs it
 * (npm install / i / add, npx --package) without `@X.Y.Z`, or a range, tag or URL after its name.
 */
function installProblems(text: string): string[] {
  const problems: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes(PACKAGE)) continue;
    for (const m of line.matchAll(/@d1-conformance\/harness(@[^\s`'"),]*)?/g))
      if (!/^@\d+\.\d+\.\d+$/.test(m[1] ?? '') && /\bnpm\s+(install|i|add|exec)\b|\bnpx\b/.test(line)) problems.push(line.trim());
    if (/@d1-conformance\/harness@(?!\d+\.\d+\.\d+(?![\w.+-]))/.test(line)) problems.push(line.trim());
  }
  return problems;
}

/** The provider of the D1 -> issuer pact: the pacticipant can-i-deploy and record-deployment name. */
const PROVIDER = (() => {
  const pact: unknown = JSON.parse(read('contracts/pacts/D1-issuer-backend.json'));
  const provider = isRecord(pact) && isRecord(pact.provider) ? pact.provider.name : undefined;
  if (typeof provider !== 'string') throw new Error('contracts/pacts/D1-issuer-backend.json names no provider');
  return provider;
})();

/** `text` with `from` replaced: the broken copies. Fails when `from` is gone, so no copy is silently the original. */
function broken(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`the example no longer holds ${String(from)}: update the negative case`);
  return out;
}

interface Step {
  readonly job: string;
  readonly index: number;
  readonly step: Yaml;
}

function jobsOf(workflow: Yaml): [string, Yaml][] {
  return Object.entries(isRecord(workflow.jobs) ? workflow.jobs : {}).filter((e): e is [string, Yaml] => isRecord(e[1]));
}

function stepsOf(job: Yaml): Yaml[] {
  return Array.isArray(job.steps) ? job.steps.filter(isRecord) : [];
}

function allSteps(workflow: Yaml): Step[] {
  return jobsOf(workflow).flatMap(([job, j]) => stepsOf(j).map((step, index) => ({ job, index, step })));
}

const runOf = (step: Yaml) => (typeof step.run === 'string' ? step.run : '');
const withOf = (step: Yaml): Yaml => (isRecord(step.with) ? step.with : {});

/** The value of `--flag VALUE` on a command line. */
function flagValue(inv: Pick<Invocation, 'args'>, flag: string): string | undefined {
  const i = inv.args.indexOf(flag);
  return i === -1 ? undefined : inv.args[i + 1];
}

/** The Pact Broker CLI calls of a script: `pact-broker SUBCOMMAND --option value...`. */
function pactBrokerCalls(script: string): { sub: string; options: Map<string, string>; line: string }[] {
  const calls: { sub: string; options: Map<string, string>; line: string }[] = [];
  for (const line of script.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const m = /\bpact-broker\s+([a-z-]+)(.*)$/.exec(line);
    if (!m) continue;
    const words = (m[2] ?? '').trim().split(/\s+/);
    const options = new Map<string, string>();
    words.forEach((w, i) => {
      if (w.startsWith('--')) options.set(w, (words[i + 1] ?? '').replace(/^"|"$/g, ''));
    });
    calls.push({ sub: m[1] ?? '', options, line });
  }
  return calls;
}

/** The help text `d1-conformance help COMMAND` prints (the overview of every command, or that command's own). */
const helps = new Map<string, Promise<string>>();
function helpOf(command: string): Promise<string> {
  let help = helps.get(command);
  if (!help) {
    help = (async () => {
      const out: string[] = [];
      const code = await main(
        ['help', command],
        (t) => out.push(t),
        () => undefined,
      );
      if (code !== 0) throw new Error(`d1-conformance help ${command} exited ${code}`);
      return out.join('\n');
    })();
    helps.set(command, help);
  }
  return help;
}

/** Each flag of each invocation that its command's help does not list, as "where: command line: flag". */
async function unknownFlags(found: readonly { where: string; inv: Invocation }[]): Promise<string[]> {
  const unknown: string[] = [];
  for (const { where, inv } of found) {
    const listed = helpFlags(await helpOf(inv.command), inv.command);
    if (listed.size === 0) unknown.push(`${where}: ${inv.text}: "${inv.command}" has no usage in d1-conformance's help`);
    for (const flag of inv.flags) if (!listed.has(flag)) unknown.push(`${where}: ${inv.text}: ${flag}`);
  }
  return unknown;
}

function githubInvocations(workflow: Yaml, where: string): { where: string; inv: Invocation; step: Step }[] {
  return allSteps(workflow).flatMap((s) => invocations(runOf(s.step)).map((inv) => ({ where: `${where} ${s.job} step ${s.index + 1}`, inv, step: s })));
}

function gitlabScript(config: Yaml, job: string): string[] {
  const resolved = resolvedJob(config, job);
  return [...lines(resolved.before_script), ...lines(resolved.script)];
}

function gitlabInvocations(config: Yaml, where: string): { where: string; inv: Invocation; job: string }[] {
  return gitlabJobs(config).flatMap((job) => gitlabScript(config, job).flatMap((l) => invocations(l).map((inv) => ({ where: `${where} ${job}`, inv, job }))));
}

// ---------------------------------------------------------------------------------------------

describe('examples/github-actions.yml', () => {
  /** The example, the docs snippet, and broken copies (built in beforeAll: a missing original fails the negative test only). */
  const variants = {
    asWritten: () => GITHUB_TEXT,
    docsSnippet: () => DOC_GITHUB_TEXT,
    needsUndefinedJob: () => broken(GITHUB_TEXT, 'needs: can-i-deploy', 'needs: can-i-deploi'),
    brokenKey: () =>
      broken(
        GITHUB_TEXT,
        '    runs-on: ubuntu-latest\n    timeout-minutes: 30\n    strategy:',
        '    runs_on: ubuntu-latest\n    timeout-minutes: 30\n    strategy:',
      ),
    untrustedInScript: () => broken(GITHUB_TEXT, '--provider-branch "$PROVIDER_BRANCH"', '--provider-branch ${{ github.head_ref }}'),
    badPermission: () => broken(GITHUB_TEXT, 'checks: write # the JUnit report becomes a check run\n    steps:', 'checks: writ\n    steps:'),
  };
  type Variant = keyof typeof variants;
  const lint: Partial<Record<Variant, LintFinding[]>> = {};
  const missing: string[] = [];

  beforeAll(async () => {
    const texts: { name: Variant; text: string }[] = [];
    for (const name of Object.keys(variants) as Variant[]) {
      try {
        texts.push({ name, text: variants[name]() });
      } catch (e) {
        missing.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const results = await actionlint(texts.map((t) => ({ path: `.github/workflows/${t.name}.yml`, text: t.text })));
    texts.forEach((t, i) => (lint[t.name] = results[i] ?? []));
  });

  it('actionlint finds nothing in the example or in the docs snippet', () => {
    expect(lint.asWritten).toEqual([]);
    expect(DOC_GITHUB_TEXT).not.toBe('');
    expect(lint.docsSnippet).toEqual([]);
  });

  it('actionlint reports a job that needs an undefined job, a misspelt key, an untrusted value in a script, a bad permission', () => {
    expect(missing).toEqual([]);
    const said = (v: Variant) => (lint[v] ?? []).map((f) => `${f.kind}: ${f.message}`).join('\n');
    expect(said('needsUndefinedJob')).toContain('job-needs: job "deploy" needs job "can-i-deploi" which does not exist in this workflow');
    expect(said('brokenKey')).toContain('syntax-check: unexpected key "runs_on" for "job" section');
    expect(said('untrustedInScript')).toContain('"github.head_ref" is potentially untrusted');
    expect(said('badPermission')).toContain('"writ" is invalid for permission of scope "checks"');
  });

  it('every action is one whose inputs are known, given only those inputs (a misspelt one is reported)', () => {
    expect(actionInputProblems(GITHUB)).toEqual([]);
    expect(actionInputProblems(parseYaml(DOC_GITHUB_TEXT))).toEqual([]);
    expect(actionInputProblems(parseYaml(broken(GITHUB_TEXT, 'node-version: 22', 'node-versio: 22')))).toEqual([
      'conformance step 2: actions/setup-node@v7 has no input "node-versio"',
    ]);
    expect(actionInputProblems(parseYaml(broken(GITHUB_TEXT, 'uses: actions/checkout@v7', 'uses: actions/checkout@v9')))[0]).toMatch(
      /checkout@v9 is not an action/,
    );
  });

  for (const [name, text] of [
    ['the example', GITHUB_TEXT],
    ['the docs snippet', DOC_GITHUB_TEXT],
  ] as const) {
    describe(name, () => {
      const workflow = parseYaml(text);
      const found = githubInvocations(workflow, name);

      it(`installs ${PACKAGE} by its name at an exact version, after npm ci, in every job that runs it`, () => {
        expect(found.length).toBeGreaterThan(0);
        expect(installProblems(text)).toEqual([]);
        for (const { step } of found) {
          const before = stepsOf(jobsOf(workflow).find(([j]) => j === step.job)?.[1] ?? {})
            .slice(0, step.index)
            .map(runOf)
            .join('\n');
          expect(before, `${step.job}: npm ci before the bin`).toMatch(/^npm ci$/m);
          expect(INSTALL.exec(before)?.[1], `${step.job}: ${PACKAGE} pinned`).toMatch(PINNED);
        }
      });

      it('runs the bin itself, with exec, as the last command of its step; never through npx or npm', () => {
        expect(text).not.toMatch(/npx\s+(--yes\s+)?d1-conformance/);
        for (const { where, inv, step } of found) {
          expect(inv.bin, where).toBe(`exec ${BIN}`);
          expect(invocations(runOf(step.step)), where).toHaveLength(1);
          expect(runOf(step.step).trim().split('\n').at(-1)?.trim(), where).toMatch(/^exec node_modules\/\.bin\/d1-conformance /);
        }
      });

      it('least privilege: contents: read, and checks: write only where JUnit is published', () => {
        expect(workflow.permissions).toEqual({ contents: 'read' });
        for (const [job, j] of jobsOf(workflow)) {
          const permissions = j.permissions ?? workflow.permissions;
          expect(isRecord(permissions), `${job}: permissions by scope, not read-all or write-all`).toBe(true);
          const publishesJunit = stepsOf(j).some((s) => typeof s.uses === 'string' && JUNIT_ACTION.test(s.uses));
          const comments = stepsOf(j).some((s) => withOf(s).comment === true);
          for (const [scope, level] of Object.entries(isRecord(permissions) ? permissions : {})) {
            if (level !== 'write') continue;
            if (scope === 'checks') expect(publishesJunit, `${job}: checks: write without a JUnit step`).toBe(true);
            else if (scope === 'pull-requests') expect(comments, `${job}: pull-requests: write without a JUnit comment`).toBe(true);
            else expect.fail(`${job}: ${scope}: write`);
          }
        }
      });

      it('sets up Node 22 LTS in every job that sets up Node', () => {
        const setups = allSteps(workflow).filter((s) => typeof s.step.uses === 'string' && s.step.uses.startsWith('actions/setup-node@'));
        expect(setups.length).toBeGreaterThan(0);
        for (const s of setups) expect(String(withOf(s.step)['node-version']), s.job).toBe('22');
      });

      it('publishes each judged report: JUnit through a pinned action, summary.md as the step summary, all files as an artifact', () => {
        const judged = found.filter(({ inv }) => inv.command !== 'run' || flagValue(inv, '--shard') === undefined);
        expect(judged.length).toBeGreaterThan(0);
        for (const { inv, step } of judged) {
          const out = flagValue(inv, '--out');
          const steps = stepsOf(jobsOf(workflow).find(([j]) => j === step.job)?.[1] ?? {}).slice(step.index + 1);
          const junit = steps.find((s) => typeof s.uses === 'string' && JUNIT_ACTION.test(s.uses));
          expect(junit?.if, `${step.job}: JUnit published also when the gate failed`).toBe('always()');
          expect(withOf(junit ?? {}).report_paths, step.job).toBe(`${String(out)}/${JUNIT_FILE}`);
          const summary = steps.find((s) => runOf(s).includes(`${String(out)}/${SUMMARY_FILE}`));
          expect(runOf(summary ?? {}), step.job).toContain('>> "$GITHUB_STEP_SUMMARY"');
          expect(summary?.if, step.job).toBe('always()');
          const upload = steps.find((s) => typeof s.uses === 'string' && s.uses.startsWith('actions/upload-artifact@'));
          expect(upload?.if, step.job).toBe('always()');
          const kept = String(withOf(upload ?? {}).path).replace(/\/$/, '');
          expect(String(out) === kept || String(out).startsWith(`${kept}/`), `${step.job}: ${String(out)} uploaded`).toBe(true);
        }
      });
    });
  }

  it('keeps the sharded run, its merge and client-check: each shard uploaded, downloaded and merged', () => {
    const found = githubInvocations(GITHUB, 'example');
    const conformance = jobsOf(GITHUB).find(([j]) => j === 'conformance')?.[1] ?? {};
    const shards = isRecord(conformance.strategy) && isRecord(conformance.strategy.matrix) ? conformance.strategy.matrix.shard : undefined;
    expect(shards).toEqual([1, 2]);
    const run = found.find(({ inv }) => inv.command === 'run');
    expect(run && flagValue(run.inv, '--shard')).toBe('${{ matrix.shard }}/2');
    const upload = stepsOf(conformance).find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    expect(withOf(upload ?? {}).path).toBe(run && flagValue(run.inv, '--out'));
    const merge = found.find(({ inv }) => inv.command === 'merge');
    expect(merge?.step.job).toBe('merge');
    const mergeJob = jobsOf(GITHUB).find(([j]) => j === 'merge')?.[1] ?? {};
    expect(lines(mergeJob.needs)).toContain('conformance');
    const download = stepsOf(mergeJob).find((s) => String(s.uses).startsWith('actions/download-artifact@'));
    const artifact = String(withOf(upload ?? {}).name);
    expect(withOf(download ?? {}).pattern).toBe(artifact.replace('${{ matrix.shard }}', '*'));
    const dirs = (shards as number[]).map((n) => `${String(withOf(download ?? {}).path)}/${artifact.replace('${{ matrix.shard }}', String(n))}`);
    expect(merge?.inv.args.slice(1, 1 + dirs.length)).toEqual(dirs);
    expect(found.map(({ inv }) => inv.command).sort()).toEqual(['client-check', 'merge', 'run']);
  });

  it('publishes the Pact verification to the broker, runs can-i-deploy, and records the deployment from main only', () => {
    const run = githubInvocations(GITHUB, 'example').find(({ inv }) => inv.command === 'run');
    expect(run && flagValue(run.inv, '--broker-url')).toBe('$PACT_BROKER_BASE_URL');
    expect(run && flagValue(run.inv, '--provider-version')).toBe('$PROVIDER_VERSION');
    expect(run && flagValue(run.inv, '--provider-branch')).toBe('$PROVIDER_BRANCH');
    const env = isRecord(GITHUB.env) ? GITHUB.env : {};
    expect(env.PROVIDER_VERSION).toBe('${{ github.event.pull_request.head.sha || github.sha }}');
    expect(env.PROVIDER_BRANCH).toBe('${{ github.head_ref || github.ref_name }}');
    expect(isRecord(run?.step.step.env) && run.step.step.env.PACT_BROKER_TOKEN).toBe('${{ secrets.PACT_BROKER_TOKEN }}');

    const calls = allSteps(GITHUB).flatMap((s) => pactBrokerCalls(runOf(s.step)).map((c) => ({ ...c, s })));
    const canIDeploy = calls.find((c) => c.sub === 'can-i-deploy');
    const record = calls.find((c) => c.sub === 'record-deployment');
    expect(canIDeploy?.options.get('--pacticipant')).toBe(PROVIDER);
    expect(canIDeploy?.options.get('--version')).toBe('$PROVIDER_VERSION');
    expect(canIDeploy?.options.get('--to-environment')).toBe('production');
    expect(record?.options.get('--pacticipant')).toBe(PROVIDER);
    expect(record?.options.get('--version')).toBe('$PROVIDER_VERSION');
    expect(record?.options.get('--environment')).toBe('production');
    for (const c of [canIDeploy, record]) {
      expect(c?.options.get('--broker-base-url')).toBe('$PACT_BROKER_BASE_URL');
      expect(c?.line).toMatch(/npx --yes --package @pact-foundation\/pact-cli@\d+\.\d+\.\d+ -- pact-broker /);
      expect(isRecord(c?.s.step.env) && c.s.step.env.PACT_BROKER_TOKEN).toBe('${{ secrets.PACT_BROKER_TOKEN }}');
    }
    const jobs = Object.fromEntries(jobsOf(GITHUB));
    expect(lines(jobs[canIDeploy?.s.job ?? '']?.needs).sort()).toEqual(['client-check', 'merge']);
    const deploy = jobs[record?.s.job ?? ''] ?? {};
    expect(lines(deploy.needs)).toContain(canIDeploy?.s.job);
    expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    // The token stays in the environment: never a flag on a command line.
    expect(GITHUB_TEXT).not.toMatch(/--broker-(token|password)/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('examples/gitlab-ci.yml', () => {
  it("follows GitLab's CI keywords, and its jobs' needs, extends and stages refer to what exists", () => {
    expect(gitlabProblems(GITLAB)).toEqual([]);
    expect(DOC_GITLAB_TEXT).not.toBe('');
    expect(gitlabProblems(parseYaml(DOC_GITLAB_TEXT))).toEqual([]);
  });

  it('reports broken copies: a need of an undefined job, a misspelt keyword, a bad value, an unknown stage', () => {
    expect(
      gitlabProblems(parseYaml(broken(GITLAB_TEXT, 'needs: [d1-conformance-merge, d1-client-check]', 'needs: [d1-conformance-merg, d1-client-check]'))),
    ).toEqual(['can-i-deploy: needs "d1-conformance-merg", which is not a job of this file']);
    expect(gitlabProblems(parseYaml(broken(GITLAB_TEXT, /(d1-client-check:[\s\S]*?\n {2})artifacts:/, '$1artifact:')))).toEqual([
      'd1-client-check: unknown job keyword "artifact"',
    ]);
    expect(gitlabProblems(parseYaml(broken(GITLAB_TEXT, 'when: always # keep the reports', 'when: allways # keep the reports')))).toEqual([
      'd1-conformance: artifacts:when "allways" is not one of on_success, on_failure, always',
    ]);
    expect(gitlabProblems(parseYaml(broken(GITLAB_TEXT, 'stage: deploy', 'stage: release')))).toEqual([
      'deploy: stage "release" is not in stages (test, gate, deploy)',
    ]);
  });

  for (const [name, text] of [
    ['the example', GITLAB_TEXT],
    ['the docs snippet', DOC_GITLAB_TEXT],
  ] as const) {
    it(`${name}: Node 22, npm ci, ${PACKAGE} pinned, the bin with exec on the last line, never npx`, () => {
      const config = parseYaml(text);
      const found = gitlabInvocations(config, name);
      expect(found.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/npx\s+(--yes\s+)?d1-conformance/);
      expect(installProblems(text)).toEqual([]);
      for (const job of gitlabJobs(config)) expect(resolvedJob(config, job).image, job).toBe('node:22');
      for (const { job, inv, where } of found) {
        const script = gitlabScript(config, job);
        expect(script, where).toContain('npm ci');
        expect(INSTALL.exec(script.join('\n'))?.[1], where).toMatch(PINNED);
        expect(inv.bin, where).toBe(`exec ${BIN}`);
        expect(invocations(script.at(-1) ?? ''), `${where}: exec on the last line`).toEqual([inv]);
      }
    });

    it(`${name}: each judged report is JUnit in artifacts:reports, kept always`, () => {
      const config = parseYaml(text);
      const found = gitlabInvocations(config, name);
      for (const { job, inv } of found) {
        const artifacts = resolvedJob(config, job).artifacts;
        expect(isRecord(artifacts) && artifacts.when, job).toBe('always');
        const judged = inv.command !== 'run' || flagValue(inv, '--shard') === undefined;
        const reports = isRecord(artifacts) && isRecord(artifacts.reports) ? artifacts.reports : {};
        if (judged) expect(reports.junit, job).toBe(`${String(flagValue(inv, '--out'))}/${JUNIT_FILE}`);
        else expect(reports.junit, `${job}: a shard's JUnit would count its tests twice`).toBeUndefined();
      }
    });
  }

  it('keeps the sharded run, its merge and client-check, and the Pact Broker jobs', () => {
    const found = gitlabInvocations(GITLAB, 'example');
    const run = found.find(({ inv }) => inv.command === 'run');
    expect(resolvedJob(GITLAB, run?.job ?? '').parallel).toBe(2);
    expect(run && flagValue(run.inv, '--shard')).toBe('$CI_NODE_INDEX/$CI_NODE_TOTAL');
    expect(run && flagValue(run.inv, '--out')).toBe('reports/shard-$CI_NODE_INDEX');
    expect(run && flagValue(run.inv, '--broker-url')).toBe('$PACT_BROKER_BASE_URL');
    expect(run && flagValue(run.inv, '--provider-version')).toBe('$PROVIDER_VERSION');
    expect(run && flagValue(run.inv, '--provider-branch')).toBe('$PROVIDER_BRANCH');
    const merge = found.find(({ inv }) => inv.command === 'merge');
    expect(merge?.inv.args.slice(1, 3)).toEqual(['reports/shard-1', 'reports/shard-2']);
    const mergeJob = resolvedJob(GITLAB, merge?.job ?? '');
    expect(mergeJob.needs).toEqual([run?.job]);
    expect(mergeJob.when).toBe('always');
    expect(found.map(({ inv }) => inv.command).sort()).toEqual(['client-check', 'merge', 'run']);

    const calls = gitlabJobs(GITLAB).flatMap((job) => gitlabScript(GITLAB, job).flatMap((l) => pactBrokerCalls(l).map((c) => ({ ...c, job }))));
    const canIDeploy = calls.find((c) => c.sub === 'can-i-deploy');
    const record = calls.find((c) => c.sub === 'record-deployment');
    expect([canIDeploy?.options.get('--pacticipant'), canIDeploy?.options.get('--to-environment')]).toEqual([PROVIDER, 'production']);
    expect([record?.options.get('--pacticipant'), record?.options.get('--environment')]).toEqual([PROVIDER, 'production']);
    for (const c of [canIDeploy, record]) {
      expect(c?.options.get('--version')).toBe('$PROVIDER_VERSION');
      expect(c?.options.get('--broker-base-url')).toBe('$PACT_BROKER_BASE_URL');
      expect(c?.line).toMatch(/npx --yes --package @pact-foundation\/pact-cli@\d+\.\d+\.\d+ -- pact-broker /);
    }
    expect(resolvedJob(GITLAB, canIDeploy?.job ?? '').needs).toEqual([merge?.job, 'd1-client-check']);
    const deploy = resolvedJob(GITLAB, record?.job ?? '');
    expect(deploy.needs).toEqual([canIDeploy?.job]);
    expect(deploy.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
    expect(GITLAB_TEXT).not.toMatch(/--broker-(token|password)/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('docs/ci.md', () => {
  it('names the real package at an exact version, never npx d1-conformance, and points to both examples', () => {
    expect(DOCS).toContain('npm install -D --save-exact @d1-conformance/harness@0.2.0');
    expect(INSTALL.exec(DOC_SHELL.join('\n'))?.[1]).toMatch(PINNED);
    for (const block of DOC_BLOCKS) expect(block.text).not.toMatch(/npx\s+(--yes\s+)?d1-conformance/);
    for (const heading of ['## GitHub Actions', '## GitLab CI', '## Pact Broker']) expect(DOCS).toContain(heading);
    expect(DOCS).toContain('(../examples/github-actions.yml)');
    expect(DOCS).toContain('(../examples/gitlab-ci.yml)');
  });

  it('gives the exact can-i-deploy and record-deployment commands the examples run', () => {
    const calls = DOC_SHELL.flatMap((b) => pactBrokerCalls(b));
    const canIDeploy = calls.find((c) => c.sub === 'can-i-deploy');
    expect(canIDeploy && Object.fromEntries(canIDeploy.options)).toMatchObject({
      '--pacticipant': PROVIDER,
      '--to-environment': 'production',
      '--broker-base-url': '$PACT_BROKER_BASE_URL',
    });
    const record = calls.find((c) => c.sub === 'record-deployment' && c.options.get('--pacticipant') === PROVIDER);
    expect(record && Object.fromEntries(record.options)).toMatchObject({ '--environment': 'production', '--broker-base-url': '$PACT_BROKER_BASE_URL' });
    // D1's pact published by d1-conformance itself, and D1's version recorded, under the consumer name of the pact file.
    expect(DOC_SHELL.some((b) => invocations(b).some((inv) => inv.command === 'pacts' && inv.flags.includes('--broker-url')))).toBe(true);
    expect(calls.some((c) => c.sub === 'record-deployment' && c.options.get('--pacticipant') === 'D1')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe("every d1-conformance command line uses only flags its command's help lists", () => {
  const all = [
    ...githubInvocations(GITHUB, 'examples/github-actions.yml'),
    ...gitlabInvocations(GITLAB, 'examples/gitlab-ci.yml'),
    ...DOC_SHELL.flatMap((b) => invocations(b).map((inv) => ({ where: 'docs/ci.md', inv }))),
    ...githubInvocations(parseYaml(DOC_GITHUB_TEXT), 'docs/ci.md'),
    ...gitlabInvocations(parseYaml(DOC_GITLAB_TEXT), 'docs/ci.md'),
  ];

  it('in the examples and in docs/ci.md', async () => {
    expect(new Set(all.map(({ inv }) => inv.command))).toEqual(new Set(['run', 'merge', 'client-check', 'pacts', 'rules']));
    expect(await unknownFlags(all)).toEqual([]);
  });

  it('a misspelt flag, a flag of another command and an unknown command are reported', async () => {
    const bad = invocations(
      [
        'exec node_modules/.bin/d1-conformance run --config c.json --brokr-url "$URL"',
        'exec node_modules/.bin/d1-conformance client-check --seed 1 -- npm test --seed 2',
        'exec node_modules/.bin/d1-conformance certify --out x',
      ].join('\n'),
    ).map((inv) => ({ where: 'broken', inv }));
    expect(await unknownFlags(bad)).toEqual([
      'broken: exec node_modules/.bin/d1-conformance run --config c.json --brokr-url $URL: --brokr-url',
      'broken: exec node_modules/.bin/d1-conformance client-check --seed 1: --seed',
      'broken: exec node_modules/.bin/d1-conformance certify --out x: "certify" has no usage in d1-conformance\'s help',
      'broken: exec node_modules/.bin/d1-conformance certify --out x: --out',
    ]);
  });
});
