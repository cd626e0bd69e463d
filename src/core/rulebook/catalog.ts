import type { MessageDef } from './message.js';
import { Rule, type Outcome, type Role, type RuleRef, type RuleSpec } from './rule.js';
import { describeText, type FieldMeta } from './fields.js';
import { pathText, ruleRefs, walkFields } from './walk.js';

const KIND_RANK = ['schema', 'presence', 'profile', 'advice', 'hygiene', 'behaviour'] as const;

/** A title derived from the constraint itself, so the rulebook's words never drift from the check. */
function derivedTitle(meta: FieldMeta, path: string): string {
  switch (meta.kind) {
    case 'text':
      return `${path}: ${describeText(meta)}`;
    case 'enum':
      return `${path}: one of ${meta.values.join(', ')}`;
    case 'number':
      return `${path}: ${meta.int ? 'integer' : 'number'}${meta.min !== undefined ? ` >= ${meta.min}` : ''}`;
    case 'textOrNumber':
      return `${path}: string (or number, per policy)`;
    case 'object':
      return `${path}: ${meta.strict ? 'object with no undocumented properties' : 'object'}`;
    case 'array':
      return `${path}: array`;
  }
}

/**
 * The rulebook: every rule named by a message's fields (schema, presence, profile, advice), merged
 * by id across messages and paths, plus the behavioural rules. A behavioural entry with the same
 * id as a field rule gives it its title and kind; a level or source conflict is a contract bug.
 */
export function buildRulebook(messages: readonly MessageDef[], behaviour: readonly RuleSpec[]): Rule[] {
  const byId = new Map<string, RuleSpec>();
  const metaAt = new Map<string, FieldMeta>();

  const merge = (incoming: RuleSpec) => {
    const existing = byId.get(incoming.id);
    if (!existing) {
      byId.set(incoming.id, incoming);
      return;
    }
    if (existing.level !== incoming.level) throw new Error(`rule ${incoming.id}: level ${existing.level} vs ${incoming.level}`);
    if (existing.direction !== incoming.direction) throw new Error(`rule ${incoming.id}: used in both directions`);
    const kind = KIND_RANK.indexOf(incoming.kind) < KIND_RANK.indexOf(existing.kind) ? incoming.kind : existing.kind;
    byId.set(incoming.id, {
      ...existing,
      kind,
      endpoints: [...new Set([...existing.endpoints, ...incoming.endpoints])],
      fields: [...new Set([...existing.fields, ...incoming.fields])],
      ...unionPolicies(existing, incoming),
    });
  };

  for (const msg of messages) {
    metaAt.clear();
    for (const { path, meta } of walkFields(msg.field.meta)) metaAt.set(pathText(path), meta);
    // A response message is its body: name its fields `body.x` like a request's.
    const shown = (p: string) => (msg.part === 'request' ? p : p === '(root)' ? 'body' : `body.${p}`);
    for (const { ref, role, paths, text } of ruleRefs(msg.field.meta)) {
      const first = paths[0] ?? '(root)';
      const meta = metaAt.get(first);
      merge(fromRef(ref, role, msg, paths.map(shown), titleFor(ref, role, shown(first), meta, text)));
    }
  }
  for (const b of behaviour) {
    const existing = byId.get(b.id);
    if (existing) {
      if (existing.level !== b.level) throw new Error(`rule ${b.id}: level ${existing.level} vs ${b.level}`);
      byId.set(b.id, {
        ...existing,
        title: b.title,
        kind: b.kind,
        endpoints: [...new Set([...existing.endpoints, ...b.endpoints])],
        ...unionPolicies(existing, b),
        ...verdictData(b),
      });
    } else byId.set(b.id, b);
  }
  return [...byId.values()].map((r) => Rule.parse(withDefaults(r))).sort((a, b) => compareIds(a.id, b.id));
}

/** A rule names its policies wherever it is defined: the union of every place's list. */
function unionPolicies(a: RuleSpec, b: RuleSpec): Pick<RuleSpec, 'policies'> {
  const all = [...new Set([...(a.policies ?? []), ...(b.policies ?? [])])];
  return all.length > 0 ? { policies: all } : {};
}

/** The verdict data a behavioural entry sets on a field rule of the same id. */
function verdictData(b: RuleSpec): Partial<RuleSpec> {
  const keys = ['applies', 'tolerance', 'judges', 'outcome', 'role'] as const;
  return Object.fromEntries(keys.filter((k) => b[k] !== undefined).map((k) => [k, b[k]]));
}

/**
 * Defaults for what a contract did not declare: the issuer is judged; a SHOULD can only warn; a
 * hygiene rule is judged on any answer; a D1 request field rule of the issuer's API is a
 * refusal check (the negative suite mutates that field and expects a 4xx).
 */
function withDefaults(r: RuleSpec): Rule {
  r = withDerivedTolerance(r, 'invalidRequestHandling', INVALID_REQUEST_TOLERANCE);
  r = withDerivedTolerance(r, 'invalidRequestStatus', INVALID_STATUS_TOLERANCE);
  const outcome: Outcome =
    r.outcome ?? (r.level === 'SHOULD' ? { class: 'warning-only', reason: 'a SHOULD rule: a breach is a warning' } : { class: 'can-fail' });
  const role: Role = r.role ?? (r.kind === 'hygiene' ? 'independent' : 'other');
  return { ...r, judges: r.judges ?? 'issuer', outcome, role };
}

function titleFor(ref: RuleRef, role: string, path: string, meta: FieldMeta | undefined, text: string | undefined): string {
  if (ref.title !== undefined) return ref.title;
  if (role === 'advice' && text !== undefined) return `${path}: ${text}`;
  if (role === 'presence') return `${path} is present`;
  if (role === 'schema' && meta) return derivedTitle(meta, path);
  return path;
}

function fromRef(ref: RuleRef, role: 'schema' | 'presence' | 'profile' | 'advice', msg: MessageDef, paths: string[], title: string): RuleSpec {
  const requestOfIssuerApi = msg.direction === 'issuer-as-server' && msg.part === 'request';
  const gating = ref.role ?? (requestOfIssuerApi ? 'negative' : undefined);
  return {
    id: ref.id,
    title,
    level: ref.level ?? 'MUST',
    kind: role,
    direction: msg.direction,
    endpoints: [msg.endpoint],
    fields: paths,
    source: ref.source,
    confidence: ref.confidence ?? 'V',
    ...(ref.profile !== undefined ? { profile: ref.profile } : {}),
    // The token endpoint's refusals are OAuth's (RFC 6749 §5.2), not D1's change policy: its rules name their own.
    ...policiesOf(ref, requestOfIssuerApi && msg.endpoint !== 'issuer.token'),
    ...(ref.note !== undefined ? { note: ref.note } : {}),
    ...(ref.applies ? { applies: [...ref.applies] } : {}),
    ...(ref.tolerance ? { tolerance: ref.tolerance.map((t) => ('values' in t ? { ...t, values: [...t.values] } : { ...t })) } : {}),
    ...(ref.judges !== undefined ? { judges: ref.judges } : {}),
    ...(ref.outcome !== undefined ? { outcome: ref.outcome } : {}),
    ...(gating !== undefined ? { role: gating } : {}),
  };
}

/**
 * A D1 request field rule of the issuer's API is judged by the negative suite under the
 * invalid-request policies (whether a refusal is demanded, and with which status): the rule names
 * them, so the report and `policies` show which rules each one decides.
 */
function policiesOf(ref: RuleRef, requestOfIssuerApi: boolean): Pick<RuleSpec, 'policies'> {
  const all = [...new Set([...(ref.policies ?? []), ...(requestOfIssuerApi ? INVALID_REQUEST_POLICIES : [])])];
  return all.length > 0 ? { policies: all } : {};
}

const INVALID_REQUEST_POLICIES = ['invalidRequestHandling', 'invalidRequestStatus'] as const;

/**
 * D1's change policy: an issuer need not refuse an invalid request. A 2xx to one is the deviation
 * `accepted-missing-required` (a warning under `warn`) or `accepted-malformed` (tolerated under
 * `warn` and `tolerate`); under `reject` no tolerance matches and the rule's level decides.
 */
const INVALID_REQUEST_TOLERANCE: RuleSpec['tolerance'] & object = [
  { policy: 'invalidRequestHandling', values: ['tolerate'], deviation: 'accepted-missing-required', becomes: 'IGNORED' },
  { policy: 'invalidRequestHandling', values: ['warn'], deviation: 'accepted-missing-required', becomes: 'WARNING' },
  { policy: 'invalidRequestHandling', values: ['tolerate', 'warn'], deviation: 'accepted-malformed', becomes: 'IGNORED' },
];

/** invalidRequestStatus=any-4xx: a refusal with another 4xx than the documented 400 is accepted. */
const INVALID_STATUS_TOLERANCE: RuleSpec['tolerance'] & object = [
  { policy: 'invalidRequestStatus', values: ['any-4xx'], deviation: '4xx', becomes: 'IGNORED' },
];

/** A rule naming `policy` without declaring its tolerances gets the policy's standard ones. */
function withDerivedTolerance(r: RuleSpec, policy: string, tolerance: RuleSpec['tolerance'] & object): RuleSpec {
  const declared = (r.tolerance ?? []).some((t) => 'policy' in t && t.policy === policy);
  return r.policies?.includes(policy) === true && !declared ? { ...r, tolerance: [...(r.tolerance ?? []), ...tolerance] } : r;
}

/** OUT before IN, then family, then number. */
export function compareIds(a: string, b: string): number {
  const [da = '', fa = '', na = '0'] = a.split('-');
  const [db = '', fb = '', nb = '0'] = b.split('-');
  if (da !== db) return da === 'OUT' ? -1 : 1;
  if (fa !== fb) return fa < fb ? -1 : 1;
  return Number(na) - Number(nb);
}
