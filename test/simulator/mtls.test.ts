import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { startSimulator, type RunningSimulator } from '../../src/client-side/simulator/index.js';
import { commonNameCheck, simulatedThalesTls } from '../../src/client-side/simulator/tls.js';
import { createAuthority, issueCertificate, type Authority, type Pem } from '../../src/core/tls/certificates.js';
import type { CaseResult } from '../../src/core/results/model.js';

/**
 * The D1 simulator over mutual TLS (issue 15 part 2), real HTTPS on 127.0.0.1 with certificates made
 * here: a client with a good certificate is let in and passes IN-TLS-001..003; none, another CA's
 * and an expired one are answered 403 and FAILED under IN-TLS-001; an RSA-2048 key is a warning
 * under IN-TLS-002; a handshake offering only TLS 1.1 is refused and FAILED (where this platform
 * can offer TLS 1.1 at all).
 */

const ISSUER = 'ISSUER0001';
let authority: Authority;
let server: Pem;
let good: Pem;

beforeAll(async () => {
  ({ authority, server } = await simulatedThalesTls());
  good = await issueCertificate(authority, { commonName: `TLSMA-EC/${ISSUER}/PPR`, usage: 'client', keyType: 'ec-p256' });
});

async function simulator(extra: Parameters<typeof startSimulator>[0] = {}): Promise<RunningSimulator> {
  return startSimulator({ issuerId: ISSUER, tls: { ca: { certPem: authority.certPem }, server }, ...extra });
}

/** One token call with this client identity (or none); the status, or the transport error's code. */
async function call(sim: RunningSimulator, identity?: Pem, ca = authority.certPem): Promise<number | string> {
  const agent = new Agent({ connect: { ca, ...(identity ? { cert: identity.certPem, key: identity.keyPem } : {}) } });
  try {
    const res = await request(sim.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=x', dispatcher: agent });
    await res.body.text();
    return res.statusCode;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  } finally {
    await agent.close();
  }
}

function tls(results: readonly CaseResult[]): { ruleId: string; case: string; status: string; message?: string }[] {
  return results
    .filter((r) => r.ruleId.startsWith('IN-TLS-'))
    .map((r) => ({ ruleId: r.ruleId, case: r.case, status: r.status, ...(r.message !== undefined ? { message: r.message } : {}) }));
}

const findings = (results: readonly CaseResult[]) => tls(results).filter((r) => r.status !== 'PASSED');

describe('the D1 simulator over mutual TLS', () => {
  const sims: RunningSimulator[] = [];
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.close()));
  });
  const started = async (extra: Parameters<typeof startSimulator>[0] = {}) => {
    const s = await simulator(extra);
    sims.push(s);
    return s;
  };

  it('serves https on 127.0.0.1 and lets a client of the simulated Thales CA in: IN-TLS-001..003 pass', async () => {
    const sim = await started();
    expect(sim.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.mtls).toBe(true);
    const status = await call(sim, good);
    expect(status).not.toBe(403);
    expect(typeof status).toBe('number');
    expect(findings(sim.results())).toEqual([]);
    const passed = new Set(tls(sim.results()).map((r) => r.ruleId));
    expect([...passed].sort()).toEqual(['IN-TLS-001', 'IN-TLS-002', 'IN-TLS-003']);
    // Nothing private in what the simulator records.
    expect(JSON.stringify(sim.results())).not.toMatch(/PRIVATE KEY/);
  });

  it('refuses a call without a client certificate with 403, FAILED under IN-TLS-001', async () => {
    const sim = await started();
    expect(await call(sim)).toBe(403);
    expect(findings(sim.results())).toEqual([
      expect.objectContaining({ ruleId: 'IN-TLS-001', status: 'FAILED', case: 'the call presents a client certificate (mutual TLS)' }),
    ]);
    // The call is refused before D1 looks at it: no token rule was graded.
    expect(sim.results().filter((r) => !r.ruleId.startsWith('IN-TLS-'))).toEqual([]);
  });

  it('refuses a certificate of another CA with 403, FAILED under IN-TLS-001 (does not chain)', async () => {
    const sim = await started();
    const foreign = await createAuthority('some other CA', { days: 1 });
    const stranger = await issueCertificate(foreign, { commonName: `TLSMA-EC/${ISSUER}/PPR`, usage: 'client' });
    expect(await call(sim, stranger)).toBe(403);
    const [finding, ...more] = findings(sim.results());
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ ruleId: 'IN-TLS-001', status: 'FAILED' });
    expect(finding?.message).toMatch(/does not chain to the simulated Thales CA/);
  });

  it('refuses an expired certificate of the simulated CA with 403, FAILED under IN-TLS-001', async () => {
    const sim = await started();
    const expired = await issueCertificate(authority, { commonName: `TLSMA-EC/${ISSUER}/PPR`, usage: 'client', expired: true });
    expect(await call(sim, expired)).toBe(403);
    const [finding, ...more] = findings(sim.results());
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ ruleId: 'IN-TLS-001', status: 'FAILED' });
    expect(finding?.message).toMatch(/expired/);
  });

  it('lets an RSA-2048 certificate in, a WARNING under IN-TLS-002 only (a SHOULD rule)', async () => {
    const sim = await started();
    const rsa2048 = await issueCertificate(authority, { commonName: `TLSMA-RSA/${ISSUER}/PPR`, usage: 'client', keyType: 'rsa-2048' });
    expect(await call(sim, rsa2048)).not.toBe(403);
    expect(findings(sim.results())).toEqual([
      { ruleId: 'IN-TLS-002', case: 'the client certificate key is RSA-4096 or ECDSA P-256', status: 'WARNING', message: expect.stringMatching(/RSA 2048/) as unknown },
    ]);
  });

  it('takes an RSA-4096 certificate as D1 does', async () => {
    const sim = await started();
    const rsa4096 = await issueCertificate(authority, { commonName: `TLSMA-RSA/${ISSUER}/PRD`, usage: 'client', keyType: 'rsa-4096' });
    expect(await call(sim, rsa4096)).not.toBe(403);
    expect(findings(sim.results())).toEqual([]);
  });

  it('grades the CN under the policy clientCertCommonName (IN-TLS-003)', async () => {
    const noEnv = await issueCertificate(authority, { commonName: `client-${ISSUER}`, usage: 'client' });
    const strict = await started();
    await call(strict, noEnv);
    expect(findings(strict.results())).toEqual([expect.objectContaining({ ruleId: 'IN-TLS-003', status: 'WARNING', message: expect.stringMatching(/PPR or PRD/) as unknown })]);
    const issuerOnly = await started({ policies: { clientCertCommonName: 'issuer' } });
    await call(issuerOnly, noEnv);
    expect(findings(issuerOnly.results())).toEqual([]);
    expect(commonNameCheck('TLSMA-RSA/ISSUER0001/PRD', ISSUER, 'issuer-and-environment')).toEqual({ ok: true, message: '' });
    expect(commonNameCheck('ISSUER0001PPR', ISSUER, 'issuer-and-environment')?.ok).toBe(false);
    expect(commonNameCheck('OTHER00001-PPR', ISSUER, 'issuer')?.ok).toBe(false);
    expect(commonNameCheck(undefined, ISSUER, 'any')).toBeUndefined();
  });

  it('lets a brought certificate in (pinned), grading key, signature and CN but never IN-TLS-001', async () => {
    const own = await createAuthority('the bank own CA', { days: 1 });
    const brought = await issueCertificate(own, { commonName: `TLSMA-EC/${ISSUER}/PPR`, usage: 'client' });
    const sim = await started({ tls: { ca: { certPem: authority.certPem }, server, broughtClientCerts: [brought.certPem] } });
    expect(await call(sim, brought)).not.toBe(403);
    expect(findings(sim.results())).toEqual([]);
    expect([...new Set(tls(sim.results()).map((r) => r.ruleId))].sort()).toEqual(['IN-TLS-002', 'IN-TLS-003']);
    // Another certificate of that CA is not the brought one: refused.
    const other = await issueCertificate(own, { commonName: `TLSMA-EC/${ISSUER}/PPR`, usage: 'client' });
    expect(await call(sim, other)).toBe(403);
  });

  it('refuses a handshake offering only TLS 1.1, FAILED under IN-TLS-001 (where OpenSSL can offer TLS 1.1 at all)', async () => {
    const sim = await started();
    const { port } = new URL(sim.baseUrl);
    const outcome = await new Promise<{ ok: boolean; error?: string }>((resolve) => {
      const socket = connect({
        host: '127.0.0.1',
        port: Number(port),
        ca: authority.certPem,
        cert: good.certPem,
        key: good.keyPem,
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve({ ok: true });
      });
      socket.once('error', (e: NodeJS.ErrnoException) => {
        socket.destroy();
        resolve({ ok: false, error: `${e.code ?? ''} ${e.message}` });
      });
    });
    expect(outcome.ok).toBe(false);
    // Give the server's tlsClientError a moment to be recorded.
    await new Promise((r) => setTimeout(r, 100));
    const offered = !/no protocols available|NO_PROTOCOLS_AVAILABLE/i.test(outcome.error ?? '');
    if (offered) {
      // This OpenSSL offered TLS 1.1 (security level 0): the simulator refused and graded it.
      expect(findings(sim.results())).toEqual([
        expect.objectContaining({ ruleId: 'IN-TLS-001', status: 'FAILED', case: 'the connection is TLS 1.2 or 1.3', message: expect.stringMatching(/TLS 1\.0\/1\.1/) as unknown }),
      ]);
    } else {
      // This platform's OpenSSL cannot offer TLS 1.1 even at security level 0: nothing reached the simulator.
      expect(findings(sim.results())).toEqual([]);
    }
  });
});
