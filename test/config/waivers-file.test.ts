import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors/index.js';
import { loadWaivers, MAX_WAIVERS_BYTES } from '../../src/core/results/waivers.js';

/** Issue 12 item 6: a broken waivers file is one line saying where, never quoting the text. */

const CANARY = 'canary-secret-0xC0FFEE';
const dir = mkdtempSync(join(tmpdir(), 'd1c-waivers-'));
let n = 0;

async function problem(text: string): Promise<string> {
  const file = join(dir, `waivers-${++n}.yaml`);
  writeFileSync(file, text);
  const error: unknown = await loadWaivers(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('a broken waivers file', () => {
  it.each([
    ['an unterminated quote', `- ruleId: "${CANARY}\n`, /neither JSON nor YAML \(line 2, column 1\)$/],
    ['a nested mapping', `reason: ${CANARY}: x`, /neither JSON nor YAML \(line 1, column 9\)$/],
    ['a flow sequence never closed', `waivers: [${CANARY}, \n`, /neither JSON nor YAML \(line 2, column 1\)$/],
    ['an alias named after a secret', `a: *${CANARY}`, /neither JSON nor YAML$/],
  ])('with %s: where, never the text', async (_name, text, where) => {
    const message = await problem(text);
    expect(message).toMatch(where);
    expect(message).not.toContain('canary');
  });

  it('larger than 1 MiB: refused unread', async () => {
    expect(await problem(`# ${'x'.repeat(MAX_WAIVERS_BYTES)}\n[]`)).toMatch(/is larger than 1 MiB \(1048576 bytes\)$/);
  });

  it('a valid file still loads', async () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, '- {ruleId: OUT-CI-009, reason: known, owner: team, expires: 2099-01-01}\n');
    await expect(loadWaivers(file)).resolves.toHaveLength(1);
  });
});

describe('a waiver the rulebook cannot apply', () => {
  it.each([
    ['a rule id the rulebook does not have', '- {ruleId: OUT-XX-999, reason: r, owner: o, expires: 2099-01-01}\n', /: waiver 1 names rule OUT-XX-999, which is not in rulebook \S+ \(d1-conformance rules lists them\)$/],
    [
      'an endpoint D1 does not have',
      'waivers:\n  - {ruleId: OUT-CI-009, endpoint: issuer.nope, reason: r, owner: o, expires: 2099-01-01}\n',
      /: waiver 1 names endpoint issuer\.nope, which D1 does not have/,
    ],
    ['a missing owner', '- {ruleId: OUT-CI-009, reason: r, expires: 2099-01-01}\n', /: waiver 1: owner is missing; each waiver needs ruleId, reason, owner and expires/],
    [
      'a missing reason, second waiver, object form',
      'waivers:\n  - {ruleId: OUT-CI-009, reason: r, owner: o, expires: 2099-01-01}\n  - {ruleId: OUT-CI-009, owner: o, expires: 2099-01-01}\n',
      /: waiver 2: reason is missing;/,
    ],
    ['an unknown field', `- {ruleId: OUT-CI-009, reason: r, owner: o, expires: 2099-01-01, note: x}\n`, /: waiver 1: unknown field note;/],
    ['a bad date', '- {ruleId: OUT-CI-009, reason: r, owner: o, expires: soon}\n', /: waiver 1: expires must be a date YYYY-MM-DD$/],
    ['a scalar', 'just text\n', /: must be a list of waivers, or \{waivers: \[\.\.\.\]\};/],
  ])('%s: refused in one line that names it', async (_name, text, expected) => {
    expect(await problem(text)).toMatch(expected);
  });
});
