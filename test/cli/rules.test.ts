import { describe, expect, it } from 'vitest';
import { RULES } from '../../contracts/index.js';
import { Rule } from '../../src/core/rulebook/rule.js';
import { runMain } from './run-cli.js';

describe('d1-conformance rules', () => {
  it('prints the whole rulebook as a table', async () => {
    const { code, stdout, stderr } = await runMain(['rules']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ID\s+LEVEL\s+ISSUER\s+ENDPOINTS\s+RULE/);
    for (const id of ['OUT-CI-009', 'OUT-GEN-011', 'IN-JWE-002', 'IN-AUTH-005']) expect(stdout).toContain(id);
    expect(stdout).toContain(`${RULES.length} of ${RULES.length} rules`);
  });

  it('prints JSON that parses back into rules, filtered by direction and endpoint', async () => {
    const { code, stdout } = await runMain(['rules', '--json', '--direction', 'client', '--endpoint', 'd1.registerCard']);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { version: string; hash: string; rules: unknown[] };
    const rules = parsed.rules.map((r) => Rule.parse(r));
    expect(rules.length).toBeGreaterThan(10);
    for (const r of rules) {
      expect(r.direction).toBe('issuer-as-client');
      expect(r.endpoints).toContain('d1.registerCard');
      expect(r.source.length).toBeGreaterThan(0);
    }
    expect(rules.map((r) => r.id)).toContain('IN-JWE-003');
    expect(parsed.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a bad filter value with one line and exit code 2', async () => {
    const { code, stdout, stderr } = await runMain(['rules', '--endpoint', 'nope']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('--endpoint must be one of');
  });

  it('refuses an unknown flag and an unknown command without a stack trace', async () => {
    const flag = await runMain(['rules', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).not.toMatch(/\n\s+at /);
    const command = await runMain(['frobnicate']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command');
  });

  it('lists the policies with their defaults', async () => {
    const { code, stdout } = await runMain(['policies', '--json']);
    expect(code).toBe(0);
    const policies = JSON.parse(stdout) as { name: string; default: unknown }[];
    expect(policies.find((p) => p.name === 'invalidRequestStatus')?.default).toBe('any-4xx');
  });
});
