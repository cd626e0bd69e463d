import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { COMMAND_SPECS, type CommandName, type FlagSpec } from '../../src/cli/command-specs.js';
import { startReferenceTarget } from '../../src/cli/reference-target.js';
import { RULEBOOK_VERSION } from '../../contracts/version.js';
import { Report } from '../../src/core/results/model.js';

/** The CLI conventions people expect: --version, --help on every command, init, YAML configs, --quiet / --verbose, line progress. */

async function cli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (t) => out.push(t),
    (t) => err.push(t),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const NAMES = Object.keys(COMMAND_SPECS) as CommandName[];

describe('--version', () => {
  it('prints the package version and the rulebook version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    for (const flag of ['--version', '-V']) {
      const { code, out, err } = await cli([flag]);
      expect(code).toBe(0);
      expect(err).toBe('');
      expect(out).toBe(`d1-conformance ${pkg.version} (${pkg.name}), rulebook ${RULEBOOK_VERSION}`);
    }
  });
});

describe('--help', () => {
  it.each(NAMES)('%s --help lists every flag it takes, exit 0, nothing on stderr', async (name) => {
    for (const flag of ['--help', '-h']) {
      const { code, out, err } = await cli([name, flag]);
      expect(code).toBe(0);
      expect(err).toBe('');
      expect(out).toMatch(new RegExp(`^Usage: d1-conformance ${name} `));
      const flags: Readonly<Record<string, FlagSpec>> = COMMAND_SPECS[name].flags;
      for (const [flagName, spec] of Object.entries(flags)) {
        expect(out).toContain(`--${flagName}${spec.type === 'string' ? ' ' : ''}`);
        expect(out).toContain(spec.help);
      }
    }
  });

  it.each(NAMES)('%s refuses a flag its help does not list, pointing at --help', async (name) => {
    const { code, err } = await cli([name, '--no-such-flag']);
    expect(code).toBe(2);
    expect(err).toMatch(new RegExp(`^d1-conformance ${name}: Unknown option '--no-such-flag'.*\\(d1-conformance ${name} --help lists its flags\\)$`));
  });

  it('run, verify-pacts and client-check list --variant; help lists every command', async () => {
    for (const name of ['run', 'verify-pacts', 'client-check'] as const) expect((await cli([name, '--help'])).out).toContain('--variant NAME');
    const { out } = await cli(['help']);
    for (const name of NAMES) expect(out).toContain(`  ${name} `);
    expect((await cli(['help', 'init'])).out).toBe((await cli(['init', '--help'])).out);
  });

  it('a --help after `--` belongs to the command client-check runs, not to d1-conformance', async () => {
    const { code, out } = await cli(['client-check', '--variant', 'no-such-variant', '--', 'node', '--help']);
    expect(out).not.toContain('Usage:');
    expect(code).toBe(2);
  });

  it('no command parses its flags but through its spec (so the help cannot miss one)', () => {
    const dir = new URL('../../src/cli/commands/', import.meta.url);
    for (const file of readdirSync(dir)) expect(readFileSync(new URL(file, dir), 'utf8'), file).not.toMatch(/\bparseArgs\(/);
  });
});

describe('init', () => {
  it.each([
    ['server', 'yaml', 'd1-conformance.yaml'],
    ['server', 'json', 'd1-conformance.json'],
    ['client', 'yaml', 'd1-client.yaml'],
    ['client', 'json', 'd1-client.json'],
  ] as const)(
    '--direction %s --format %s: a starter the loader refuses until its placeholders are filled, keys/ git-ignored',
    async (direction, format, file) => {
      const dir = mkdtempSync(join(tmpdir(), 'd1c-init-'));
      const path = join(dir, file);
      const made = await cli(['init', '--direction', direction, '--format', format, '--out', path]);
      expect(made.code).toBe(0);
      expect(readFileSync(join(dir, 'keys', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
      const text = readFileSync(path, 'utf8');
      expect(text).toContain('schemas/');
      if (format === 'yaml') expect(text).toMatch(/^# /m);
      else expect(JSON.parse(text)).toHaveProperty('//');
      // Left as written: refused, the key named.
      const command = direction === 'server' ? ['run', '--config', path] : ['client-check', '--config', path];
      const refused = await cli(command);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/key (target\.baseUrl|issuerId) still holds a <placeholder> from `d1-conformance init`/);
      // Once more: refused to overwrite.
      expect((await cli(['init', '--direction', direction, '--format', format, '--out', path])).code).toBe(2);
      if (direction === 'client') expect(readdirSync(join(dir, 'keys'))).toContain('d1-issuer-assertion.private.jwk.json');
    },
  );

  it('a client starter with its placeholder filled runs client-check against the reference client', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd1c-init-client-'));
    const path = join(dir, 'd1-client.yaml');
    expect((await cli(['init', '--direction', 'client', '--out', path])).code).toBe(0);
    writeFileSync(path, readFileSync(path, 'utf8').replace('<ISSUER0001>', 'ISSUER0001'));
    const run = await cli(['client-check', '--config', path, '--out', join(dir, 'out'), '--quiet']);
    expect(run.err).toBe('');
    expect(run.out).toMatch(/^verdict: PASSED; reports: /);
    expect(run.code).toBe(0);
  });
});

describe('YAML configs, --quiet, --verbose, line progress', () => {
  let reference: Awaited<ReturnType<typeof startReferenceTarget>>;
  beforeAll(async () => {
    reference = await startReferenceTarget();
  });
  afterAll(async () => {
    await reference.issuer.close();
  });

  it('run takes a YAML config (comments, $schema key) as it takes JSON; --quiet prints the verdict line only', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd1c-yaml-'));
    const path = join(dir, 'config.yaml');
    writeFileSync(path, `# a comment\n$schema: ./schemas/config.schema.json\n${toYaml(reference.config)}`);
    expect(parseYaml(readFileSync(path, 'utf8'))).toHaveProperty('target');
    const { code, out, err } = await cli(['run', '--config', path, '--runs', '1', '--out', join(dir, 'out'), '--quiet']);
    expect(err).toBe('');
    expect(out.split('\n')).toHaveLength(1);
    expect(out).toMatch(/^verdict: PASSED; reports: /);
    expect(code).toBe(0);
    expect(Report.parse(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'))).target.baseUrl).toBe(reference.config.target.baseUrl);
  });

  it(
    'without --quiet: a start and an end line per suite, whole lines, also when stderr is not a terminal; --verbose adds every test and the policies',
    { timeout: 60_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'd1c-progress-'));
      const path = join(dir, 'config.json');
      writeFileSync(path, JSON.stringify(reference.config));
      const normal = await cli(['run', '--config', path, '--runs', '1', '--out', join(dir, 'a')]);
      const suites = readdirSync(new URL('../../suites/issuer-api/', import.meta.url)).filter((f) => f.endsWith('.suite.ts'));
      for (const file of suites) {
        const suite = file.replace('.suite.ts', '');
        expect(normal.err).toMatch(new RegExp(`^start ${suite} \\(\\d+ tests\\)$`, 'm'));
        expect(normal.err).toMatch(new RegExp(`^end   ${suite}: \\d+ checks passed, 0 failed, [\\d.]+s`, 'm'));
      }
      expect(normal.err).not.toMatch(/^ {2}(ok|FAIL) /m);
      const verbose = await cli(['run', '--config', path, '--runs', '1', '--out', join(dir, 'b'), '--verbose']);
      expect(verbose.err).toMatch(/^ {2}ok {3}\S.* \(\d+ passed, 0 failed\)$/m);
      expect(verbose.out).toMatch(/^policies in use:$/m);
      expect(verbose.out).toMatch(/^findings \(0\):$/m);
      expect((await cli(['run', '--quiet', '--verbose'])).err).toBe('d1-conformance run: --quiet and --verbose cannot go together');
    },
  );

  it('--target without a config says a target needs its auth from a config file', async () => {
    const { code, err } = await cli(['run', '--target', 'http://127.0.0.1:9', '--issuer-id', 'ISSUER0001']);
    expect(code).toBe(2);
    expect(err).toBe(
      'd1-conformance run: a target of your own needs its auth in a config file (--config FILE: auth.mode oauth with clientId and clientSecret, or none); `d1-conformance init` writes a starter',
    );
  });
});
