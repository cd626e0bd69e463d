import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startReferenceIssuer, type IssuerVariant } from '../../fixtures/reference-issuer/index.js';
import { parseConfig } from '../../src/config/load-config.js';
import { verifyIssuerPacts } from '../../src/pact/verify.js';
import { startReferenceTarget } from '../../src/run/reference-target.js';

/**
 * The pact verification against a hostile target: a redirect is a finding, never followed (the
 * verifier would re-send the request body, an OTP request here, to wherever the target points).
 */

/** A server on 127.0.0.1 that only counts the requests it gets: the place a redirect points to. */
async function recorder(): Promise<{ server: Server; url: string; calls: string[] }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(`${req.method ?? ''} ${req.url ?? ''}`);
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

describe('pact verification against a target that redirects', () => {
  it('never follows the redirect (the other port gets nothing) and fails the interaction naming the redirect', { timeout: 60_000 }, async () => {
    const elsewhere = await recorder();
    const redirecting: IssuerVariant = {
      id: 'test-otp-redirect',
      ruleId: 'OUT-OTP-001',
      description: 'Deliver OTP answers 307 to another port (method and body preserved)',
      hooks: {
        rewrite: (reply, request) =>
          request.endpoint === 'issuer.deliverOtp' ? { status: 307, headers: { location: `${elsewhere.url}/collect?otp=123456` }, body: { type: 'none' } } : reply,
      },
    };
    const target = await startReferenceTarget();
    await target.issuer.close();
    const issuer = await startReferenceIssuer({ variant: redirecting, clientSecret: target.issuer.clientSecret });
    try {
      const config = parseConfig({ ...target.config, target: { baseUrl: issuer.baseUrl, issuerId: issuer.issuerId } });
      const outcome = await verifyIssuerPacts(config);
      expect(elsewhere.calls).toEqual([]);
      expect(outcome.errors).toEqual([]);
      const failed = outcome.results.filter((r) => r.status === 'FAILED');
      expect([...new Set(failed.map((r) => r.ruleId))]).toEqual(['OUT-OTP-001']);
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) {
        expect(f.endpoint).toBe('issuer.deliverOtp');
        expect(f.message).toBe(`the target answered 307 redirect to ${elsewhere.url}; redirects are not followed`);
      }
      // The origin only: neither the path nor the query (an OTP value) of the Location is repeated.
      expect(JSON.stringify(outcome.results)).not.toContain('otp=123456');
      expect(JSON.stringify(outcome.results)).not.toContain('/collect');
      // Every other interaction still passed.
      expect(outcome.results.filter((r) => r.endpoint !== 'issuer.deliverOtp').every((r) => r.status === 'PASSED')).toBe(true);
    } finally {
      await issuer.close();
      await new Promise((resolve) => elsewhere.server.close(resolve));
    }
  });
});
