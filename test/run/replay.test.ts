import { describe, expect, it } from 'vitest';
import { replayCommand, shellQuote } from '../../src/core/util/replay.js';
import { withoutUserInfo } from '../../src/core/util/url.js';

describe('replayCommand', () => {
  it("keeps the user's config, target, issuer, profiles and seed, in a fixed order, and drops report-only flags", () => {
    const line = replayCommand('run', {
      out: '/tmp/x',
      seed: '42',
      target: 'https://issuer.example/api',
      config: 'd1 prod.json',
      profile: ['click-to-pay', '3ds'],
      'issuer-id': 'ISS1',
    });
    expect(line).toBe(
      "npx d1-conformance run --config 'd1 prod.json' --target https://issuer.example/api --issuer-id ISS1 --profile click-to-pay --profile 3ds --seed 42",
    );
  });

  it('never carries the user and password of a target URL', () => {
    const line = replayCommand('run', { target: 'http://bank:canary-secret-77@127.0.0.1:8080/d1', seed: '1' });
    expect(line).not.toContain('canary-secret-77');
    expect(line).not.toContain('bank:');
    expect(line).toContain('--target http://127.0.0.1:8080/d1');
    expect(withoutUserInfo('not a url //u:p@host/x')).toBe('not a url //host/x');
  });

  it('quotes words a shell would split or expand, and keeps a boolean flag bare', () => {
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    expect(replayCommand('client-check', { faults: true, config: 'c.json' }, 'node client.js')).toBe(
      'npx d1-conformance client-check --config c.json --faults -- node client.js',
    );
  });
});
