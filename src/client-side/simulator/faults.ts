import { z } from 'zod';
import { D1_ENDPOINT_IDS, type D1EndpointId } from './routes.js';

/**
 * The fault plan: which calls the simulator answers with a fault, and whether its answers carry
 * what D1's change policy allows (compat). Faults are chosen by call count per endpoint, never by
 * chance, so a run is reproducible. The same schema validates the `faults` section of a config.
 */

const endpointId = z.enum(D1_ENDPOINT_IDS as unknown as readonly [D1EndpointId, ...D1EndpointId[]]);

const window = {
  endpoint: endpointId,
  /** The nth call to the endpoint with its method (1-based) is the first one faulted. */
  nth: z.number().int().min(1).max(1_000_000),
  /** How many consecutive calls to the endpoint are faulted. */
  times: z.number().int().min(1).max(100).default(1),
};

export const Fault = z.discriminatedUnion('kind', [
  /** 429 with Retry-After: the request is not processed. */
  z.strictObject({ ...window, kind: z.literal('rate-limit'), retryAfterSeconds: z.number().int().min(0).max(120).default(1) }),
  /** 503: the request is not processed. */
  z.strictObject({ ...window, kind: z.literal('unavailable') }),
  /** 500: the request is not processed. */
  z.strictObject({ ...window, kind: z.literal('server-error') }),
  /** The request is processed (the registration IS done), then 500 is answered: the duplicate-registration trap. */
  z.strictObject({ ...window, kind: z.literal('commit-then-error') }),
  /** The normal answer, sent after delayMs of real time (it is about the client's timeouts; below the server's 30 s request timeout). */
  z.strictObject({ ...window, kind: z.literal('delay'), delayMs: z.number().int().min(1).max(20_000).default(300) }),
]);
export type Fault = z.infer<typeof Fault>;
export type FaultKind = Fault['kind'];

/** Only writes have something to commit before the error. */
const COMMITTING: ReadonlySet<D1EndpointId> = new Set(['d1.registerConsumer', 'd1.updateConsumer', 'd1.deleteConsumer', 'd1.registerCard']);

export const FaultPlan = z
  .strictObject({
    faults: z.array(Fault).max(100).readonly().default([]),
    /** D1's change policy (IN-COMPAT-001): unknown fields in JSON answers, a card in a state the client does not know. */
    compat: z.boolean().default(false),
  })
  .superRefine((plan, ctx) => {
    plan.faults.forEach((f, i) => {
      if (f.kind === 'commit-then-error' && !COMMITTING.has(f.endpoint)) {
        ctx.addIssue({ code: 'custom', path: ['faults', i, 'kind'], message: `commit-then-error needs a write endpoint, not ${f.endpoint}` });
      }
      const j = plan.faults.findIndex((o, k) => k < i && o.endpoint === f.endpoint && o.nth < f.nth + f.times && f.nth < o.nth + o.times);
      // Overlapping windows would make the plan say two things about one call.
      if (j !== -1) ctx.addIssue({ code: 'custom', path: ['faults', i], message: `overlaps faults.${j} on ${f.endpoint}` });
    });
  });
export type FaultPlan = z.infer<typeof FaultPlan>;
/** What a caller may write: defaults (times, retryAfterSeconds, delayMs, compat) filled in by the schema. */
export type FaultPlanInput = z.input<typeof FaultPlan>;

/** What `--faults` uses: a well-behaved client gets through it in a couple of seconds. Parsed, so proven valid. */
export const DEFAULT_FAULT_PLAN: FaultPlan = FaultPlan.parse({
  faults: [
    { endpoint: 'd1.token', nth: 1, times: 1, kind: 'unavailable' },
    { endpoint: 'd1.registerConsumer', nth: 1, times: 1, kind: 'rate-limit', retryAfterSeconds: 1 },
    { endpoint: 'd1.registerCard', nth: 1, times: 1, kind: 'commit-then-error' },
    { endpoint: 'd1.getCardList', nth: 1, times: 1, kind: 'delay', delayMs: 300 },
  ],
  compat: true,
} satisfies FaultPlanInput);

/** A bad plan is a configuration error: one line naming where, never a finding on the issuer. */
export function parseFaultPlan(input: unknown): FaultPlan {
  const parsed = FaultPlan.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message.replace(/\s+/g, ' ')}`).join('; ');
  throw new Error(`simulator: invalid fault plan (${where})`);
}

/** The fault for the nth call to an endpoint, if the plan has one. */
export function faultFor(plan: FaultPlan, endpoint: D1EndpointId, nth: number): Fault | undefined {
  return plan.faults.find((f) => f.endpoint === endpoint && nth >= f.nth && nth < f.nth + f.times);
}

/** Faults that answer before D1 looks at the request. */
export function preempts(kind: FaultKind): boolean {
  return kind === 'rate-limit' || kind === 'unavailable' || kind === 'server-error';
}
