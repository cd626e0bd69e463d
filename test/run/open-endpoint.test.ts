import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokenVariant } from '../../fixtures/broken-issuers/index.js';
import { startReferenceIssuer, type RunningIssuer } from '../../fixtures/reference-issuer/index.js';
import { Report } from '../../src/core/results/model.js';
import { runMain } from '../cli/run-cli.js';

/**
 * auth.mode none: an issuer that serves personal data to a call without any Authorization header
 * is FAILED (OUT-GEN-026), not SKIPPED; one that refuses it passes. In-process through main().
 */

const issuers: RunningIssuer[] = [];
afterAll(async () => {
  await Promise.all(issuers.map((i) => i.close()));
});

async function runWithoutOAuth(variantId?: string): Promise<Report> {
  const variant = variantId === undefined ? undefined : brokenVariant(variantId);
  const issuer = await startReferenceIssuer(variant ? { variant } : {});
  issuers.push(issuer);
  const dir = mkdtempSync(join(tmpdir(), 'd1c-open-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      target: { baseUrl: issuer.baseUrl, issuerId: issuer.issuerId },
      auth: { mode: 'none' },
      testData: { consumers: issuer.consumers.filter((c) => c.state !== 'INVALID').map((c) => ({ consumerId: c.consumerId, cardIds: [...c.cardIds] })) },
    }),
  );
  const out = join(dir, 'out');
  await runMain(['run', '--config', config, '--out', out, '--seed', '7', '--runs', '1', '--report', 'json']);
  return Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
}

describe('auth.mode none: an open endpoint is an open door', () => {
  it('personal data served without Authorization: OUT-GEN-026 FAILED, with a replay that sends no Authorization', { timeout: 180_000 }, async () => {
    const report = await runWithoutOAuth('no-auth-enforced');
    expect(report.rules.find((r) => r.ruleId === 'OUT-GEN-026')?.status).toBe('FAILED');
    const finding = report.results.find((r) => r.ruleId === 'OUT-GEN-026' && r.status === 'FAILED');
    expect(finding?.message).toContain('no Authorization header');
    expect(finding?.repro).toBeDefined();
    expect(finding?.repro).not.toMatch(/authorization/i);
    // The token rules do not apply without OAuth (rule data: applies oauth), and say why.
    const tokenRule = report.rules.find((r) => r.ruleId === 'OUT-GEN-003');
    expect(tokenRule?.status).toBe('NOT_APPLICABLE');
    expect(tokenRule?.reason).toBe('outbound OAuth is off (auth.mode none)');
  });

  it('an issuer that refuses calls without a token: OUT-GEN-026 PASSED', { timeout: 180_000 }, async () => {
    const report = await runWithoutOAuth();
    expect(report.rules.find((r) => r.ruleId === 'OUT-GEN-026')?.status).toBe('PASSED');
  });
});
