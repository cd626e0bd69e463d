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
