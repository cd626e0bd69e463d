import fc from 'fast-check';
import { ISSUER_ENDPOINTS, type EndpointId } from '../../../contracts/endpoints.js';
import { endpointsInScope } from '../../../contracts/profiles.js';
import type { MessageDef } from '../../core/rulebook/message.js';
import { ruleRefs } from '../../core/rulebook/walk.js';
import { MAX_RESPONSE_TEXT, type Exchange } from '../../core/http/client.js';
import { inspectResponse } from './oracle.js';
import { responseJson } from './response-json.js';
import { checkBody } from './body-check.js';
import { notJsonText, type ParsedJson } from '../../core/util/json.js';

import { Recorder, type Finding } from '../../core/results/recorder.js';
import type { CallOptions, RequestValue, Session } from './session.js';

/**
 * What a suite's test gets: the session, a recorder, and the checks written once (status
 * expectations under the run's policies, response contracts, property runs with shrinking).
 */
export class Kit {
  constructor(
    readonly session: Session,
    readonly rec: Recorder,
  ) {}

  get policies() {
    return this.session.config.policies;
  }

  /** Whether the declared profiles (and a targeted re-run's endpoints) cover this endpoint (no profile: every endpoint). */
  inScope(endpoint: EndpointId): boolean {
    return endpointsInScope(this.session.config.profiles, ISSUER_ENDPOINTS).has(endpoint) && (this.session.endpoints?.has(endpoint) ?? true);
  }

  /** Sends a request and puts the response through the checks every response gets. */
  async send(endpoint: EndpointId, value: RequestValue, options: CallOptions = {}, rec: Recorder = this.rec): Promise<Exchange> {
    const exchange = await this.session.call(endpoint, value, options);
    // Personal data must be known to the redactor before any finding about this exchange is recorded.
    if (endpoint === 'issuer.getConsumerInfo' && exchange.response) {
      const json = responseJson(exchange.response);
      if (json.ok) this.session.redactor.learnPersonalInfo(json.value);
    }
    const body = value.body as { otp?: { value?: unknown }; deviceInformation?: { phoneNumber?: unknown } } | undefined;
    const otp = body?.otp?.value;
    if (typeof otp === 'string') this.session.redactor.addOtp(otp);
    const sensitive = [otp, body?.deviceInformation?.phoneNumber].filter((v): v is string => typeof v === 'string');
    inspectResponse(rec, exchange, endpoint, {
      ...(typeof otp === 'string' ? { sentOtp: otp } : {}),
      sentSensitive: sensitive,
      slowAfterMs: this.policies.responseTimeoutMs,
    });
    return exchange;
  }

  /** Records `ruleId` as PASSED when the status is accepted, else as its breach with evidence. */
  expectStatus(
    exchange: Exchange,
    ruleId: string,
    endpoint: string,
    name: string,
    accepted: readonly number[] | ((status: number) => boolean),
    expected: string,
    rec: Recorder = this.rec,
  ): boolean {
    const status = exchange.response?.status;
    const ok = status !== undefined && (typeof accepted === 'function' ? accepted(status) : accepted.includes(status));
    if (ok) rec.pass(ruleId, endpoint, name);
    else this.breach(rec, ruleId, endpoint, name, statusFinding(exchange, expected));
    return ok;
  }

  /** A breach of `ruleId`, its status decided by the verdict module from the rule's data and the run's policies. */
  breach(rec: Recorder, ruleId: string, endpoint: string, name: string, finding: Finding, deviation?: string): 'FAILED' | 'WARNING' | 'IGNORED' {
    return rec.breach(ruleId, endpoint, name, finding, { policies: this.policies, ...(deviation !== undefined ? { deviation } : {}) });
  }

  /**
   * The documented success status. Another 2xx is the deviation `another-2xx`: the rule's
   * tolerances decide (notificationSuccessStatus=any-2xx makes it a warning for the 204 APIs).
   */
  expectSuccess(exchange: Exchange, ruleId: string, endpoint: string, name: string, documented: number, rec: Recorder = this.rec): void {
    const status = exchange.response?.status;
    if (status !== undefined && status !== documented && status >= 200 && status < 300) {
      this.breach(
        rec,
        ruleId,
        endpoint,
        name,
        { message: `got ${status} where ${documented} is documented`, expected: String(documented), actual: String(status), exchange },
        'another-2xx',
      );
      return;
    }
    this.expectStatus(exchange, ruleId, endpoint, name, [documented], String(documented), rec);
  }

  /**
   * A just-invalid request D1 could send, judged by D1's API change policy (policy
   * invalidRequestHandling). Whatever the policy, the MUST is robustness: an answer, and never a
   * 5xx. Whether the issuer must also refuse it is the policy's business: under `warn` (default) a
   * 2xx to a request missing a required field is a warning and anything else passes; under
   * `tolerate` every non-5xx answer passes; under `reject` a 2xx fails and the refusal status
   * follows invalidRequestStatus (the suite's former strictness).
   */
  expectInvalidHandled(
    exchange: Exchange,
    ruleId: string,
    endpoint: string,
    name: string,
    cls: 'missing-required' | 'malformed',
    rec: Recorder = this.rec,
  ): boolean {
    const mode = this.policies.invalidRequestHandling;
    const tag = `(policy invalidRequestHandling=${mode})`;
    const status = exchange.response?.status;
    if (status === undefined || status >= 500) {
      this.breach(rec, ruleId, endpoint, name, {
        message:
          status === undefined
            ? `no response to a just-invalid request: ${exchange.transportError ?? 'transport error'}; an invalid request must never break the target, whatever the policy ${tag}`
            : `got ${status} to a just-invalid request: an invalid request never gets a 5xx, whatever the policy ${tag}`,
        expected: mode === 'reject' ? 'a 4xx' : 'any answer but a 5xx',
        actual: status === undefined ? (exchange.transportError ?? 'no response') : String(status),
        exchange,
      });
      return false;
    }
    if (mode === 'reject') return this.expectRefused(exchange, ruleId, endpoint, name, rec, tag);
    if (status < 300) {
      // Accepting it is a deviation the rule's invalidRequestHandling tolerances decide (catalog.ts):
      // tolerated (IGNORED, a pass), a warning for a missing required field under `warn`.
      // One warning per case is the story; a property's later runs would only repeat it.
      const key = `${ruleId}|${endpoint}|${name}`;
      if (this.#warned.has(key)) return true;
      const deviation = cls === 'missing-required' ? 'accepted-missing-required' : 'accepted-malformed';
      const finding = {
        message: `got ${status} to a ${cls === 'missing-required' ? 'request missing a required field' : 'just-invalid request'}: accepted, where a refusal would be expected`,
        expected: 'a 4xx',
        actual: String(status),
        exchange,
      };
      const recorded = this.breach(rec, ruleId, endpoint, name, finding, deviation);
      if (recorded === 'IGNORED') rec.pass(ruleId, endpoint, name);
      else this.#warned.add(key);
      return recorded !== 'FAILED';
    }
    rec.pass(ruleId, endpoint, name);
    return true;
  }

  readonly #warned = new Set<string>();

  /**
   * A request that must be refused whatever invalidRequestHandling says (e.g. another issuer's
   * issuerId): 400 as documented; another 4xx is the `4xx` deviation that
   * invalidRequestStatus=any-4xx accepts (catalog.ts derives it for every rule naming the policy).
   */
  expectRefused(exchange: Exchange, ruleId: string, endpoint: string, name: string, rec: Recorder = this.rec, why?: string): boolean {
    return this.expectDocumentedStatus(exchange, ruleId, endpoint, name, 400, rec, why);
  }

  /** A call without a valid token: 401; a 403 is a deviation the rule's tolerances decide (unauthorizedStatus). */
  expectUnauthorized(exchange: Exchange, ruleId: string, endpoint: string, name: string): void {
    this.expectDocumentedStatus(exchange, ruleId, endpoint, name, 401);
  }

  /**
   * The documented status. Any other status is a breach named by that status (`401`, matched by a
   * tolerance's `401` or `4xx`), so the rule's data decides: e.g. OUT-AUTH-007 accepts a 401 under
   * tokenMissingAuthStatus=400-or-401, OUT-GEN-003 warns on a 403. An accepted deviation is a pass.
   */
  expectDocumentedStatus(
    exchange: Exchange,
    ruleId: string,
    endpoint: string,
    name: string,
    documented: number,
    rec: Recorder = this.rec,
    why?: string,
  ): boolean {
    const status = exchange.response?.status;
    if (status === documented) {
      rec.pass(ruleId, endpoint, name);
      return true;
    }
    const expected = why === undefined ? String(documented) : `${documented} ${why}`;
    const recorded = this.breach(rec, ruleId, endpoint, name, statusFinding(exchange, expected), status === undefined ? undefined : String(status));
    if (recorded === 'IGNORED') rec.pass(ruleId, endpoint, name);
    return recorded !== 'FAILED';
  }

  /**
   * Checks a response body against its contract: every rule of the message is PASSED unless a
   * violation names it. Policies decide how the policy-level deviations count.
   */
  expectBody(exchange: Exchange, contract: MessageDef, name: string, rec: Recorder = this.rec): unknown {
    const msg = this.session.effective(contract);
    const res = exchange.response;
    if (!res) return undefined;
    const json: ParsedJson = res.invalidUtf8 ? { ok: false } : responseJson(res);
    const profiles = this.session.config.profiles;
    const rootRule = msg.field.meta.rule.id;
    if (!json.ok) {
      this.breach(rec, rootRule, msg.endpoint, name, {
        message: 'the body is not JSON',
        expected: 'a JSON body',
        actual:
          res.body === ''
            ? '(empty body)'
            : res.truncated
              ? `a body larger than the ${MAX_RESPONSE_TEXT} the harness reads`
              : res.invalidUtf8
                ? 'bytes that are not valid UTF-8 (RFC 8259 §8.1: JSON between systems is UTF-8)'
                : notJsonText(json),
        exchange,
      });
      return undefined;
    }
    const result = checkBody(msg, res.body, json.value, profiles);
    const broken = new Set<string>();
    for (const v of result.violations) {
      const finding = {
        message: `${v.path}: ${v.message}`,
        expected: v.message.replace(/^\[[^\]]+\] /, ''),
        actual: `a value at ${v.path} that breaks it`,
        exchange,
      };
      // An advice (a valid value it flags) is the deviation `advice`; the rule's data and the policies decide the rest.
      if (this.breach(rec, v.ruleId, msg.endpoint, name, finding, v.severity === 'warning' ? 'advice' : undefined) !== 'IGNORED') broken.add(v.ruleId);
    }
    const ids = messageRuleIds(msg, profiles);
    rec.passAll(broken.size === 0 ? ids : ids.filter((id) => !broken.has(id)), msg.endpoint, name);
    return json.value;
  }

  /**
   * A property over generated requests: each run's findings are kept while it passes; the first
   * failure is shrunk by fast-check and its smallest counterexample replayed once for the report,
   * with the seed and path that reproduce it.
   */
  async property<T>(name: string, arb: fc.Arbitrary<T>, run: (value: T, rec: Recorder) => Promise<void>, ruleId: string, endpoint: string): Promise<void> {
    let failedOnce = false;
    let shrinkSteps = 0;
    const details = await fc.check(
      fc.asyncProperty(arb, async (value) => {
        // Each shrinking step is a call to the target: past the property's budget, or the run's,
        // shrinking is interrupted (nothing more is sent, nor generated: skipping candidates one
        // by one cost thousands of rejected values), so the smallest failure found so far stands.
        // Counts, not a time, so that the seed and path replay the same counterexample on any machine.
        if (failedOnce && (++shrinkSteps > MAX_SHRINK_STEPS || this.session.shrinkCallsLeft-- <= 0)) throw new fc.PreconditionFailure(true);
        const scratch = new Recorder(this.session.redactor);
        await run(value, scratch);
        const ok = scratch.failures === 0;
        if (!ok) failedOnce = true;
        if (ok && !failedOnce) this.rec.merge(scratch);
        return ok;
      }),
      // Shrinking against a slow target: bound each property's time too.
      { seed: fastCheckSeed(this.session.seed), numRuns: this.session.config.cases.propertyRuns, endOnFailure: false, interruptAfterTimeLimit: 3_000 },
    );
    if (details.failed && details.counterexample) {
      const replay = new Recorder(this.session.redactor);
      await run(details.counterexample[0], replay);
      this.rec.merge(replay, { seed: details.seed, counterexamplePath: details.counterexamplePath });
      if (replay.failures === 0) {
        this.rec.fail(ruleId, endpoint, name, {
          message: `the shrunk counterexample did not fail again on replay (flaky target?)`,
          seed: details.seed,
          counterexamplePath: details.counterexamplePath,
        });
      }
    } else if (details.failed) {
      this.rec.fail(ruleId, endpoint, name, { message: `property run error: ${String(details.errorInstance)}` });
    }
  }
}

/** Calls spent shrinking one property's failure (a slow target meets the time bound first). */
const MAX_SHRINK_STEPS = 30;

/** A status expectation not met: what came back (or why nothing did). */
function statusFinding(exchange: Exchange, expected: string): Finding {
  const status = exchange.response?.status;
  return {
    message:
      status === undefined ? `no response: ${exchange.transportError ?? 'transport error'}` : `got ${status}${redirectNote(exchange)}, expected ${expected}`,
    expected,
    actual: status === undefined ? (exchange.transportError ?? 'no response') : String(status),
    exchange,
  };
}

/** A 3xx is never followed by any part of the tool: the finding says where it pointed (origin only: a query may hold data). */
function redirectNote(exchange: Exchange): string {
  const res = exchange.response;
  const location = res?.headers.location;
  if (res === undefined || res.status < 300 || res.status >= 400 || location === undefined) return '';
  let where: string;
  try {
    const url = new URL(location, exchange.request.url);
    where = url.origin === new URL(exchange.request.url).origin ? 'this host' : url.origin;
  } catch {
    where = 'an unreadable Location';
  }
  return ` (a redirect to ${where}; redirects are never followed)`;
}

const idsCache = new Map<string, string[]>();

/** The rules a response of this message exercises under the run's profiles. */
function messageRuleIds(msg: MessageDef, profiles: readonly string[]): string[] {
  const key = `${msg.id}|${profiles.join(',')}`;
  let ids = idsCache.get(key);
  if (!ids) {
    ids = [...new Set([...ruleRefs(msg.field.meta)].filter((r) => r.ref.profile === undefined || profiles.includes(r.ref.profile)).map((r) => r.ref.id))];
    idsCache.set(key, ids);
  }
  return ids;
}

/**
 * fast-check's generators take a 32-bit seed; a run's seed may be any whole number up to 2^53-1
 * (a CI run id). Below 2^31 it is the same number, so a case's printed seed replays as --seed.
 */
export function fastCheckSeed(seed: number): number {
  return seed % 2 ** 31;
}
