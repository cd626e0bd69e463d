import fc from 'fast-check';
import { z } from 'zod';
import { Direction } from '../rulebook/rule.js';
import { Constraint, ConstraintKind, type RulebookSnapshot } from './snapshot.js';

/**
 * What changed between two rulebooks, and what each change means for an issuer under D1's API
 * change policy: issuers must tolerate new optional fields, new enum values and new status codes
 * in what D1 sends them. So a change is judged from the side of whoever produces the message:
 * - what the issuer sends (its responses to D1, its requests to D1): a tighter rule is breaking
 *   (values the issuer sends today may no longer pass), a looser one is not;
 * - what the issuer receives (D1's requests, D1's responses): a looser rule is not breaking for a
 *   tolerant reader, but must be re-tested (`tolerate`); a field D1 stops guaranteeing (no longer
 *   required, removed, retyped) is breaking, since the issuer may rely on it.
 */

export const Classification = z.enum(['breaking', 'tolerate', 'compatible']);
export type Classification = z.infer<typeof Classification>;

export const Change = z.strictObject({
  change: z.enum(['added', 'removed', 'changed']),
  kind: ConstraintKind,
  key: z.string(),
  ruleId: z.string(),
  endpoint: z.string(),
  direction: Direction,
  part: Constraint.shape.part,
  path: z.string(),
  old: Constraint.shape.value.optional(),
  new: Constraint.shape.value.optional(),
  /** In words: `pattern widened`, `enum value added: PENDING`, `made required`. */
  detail: z.string(),
  classification: Classification,
  /** Why, for an issuer. */
  reason: z.string(),
});
export type Change = z.infer<typeof Change>;

export const SpecDiff = z.strictObject({
  format: z.literal('d1-conformance-diff/1'),
  old: z.strictObject({ version: z.string(), hash: z.string(), source: z.string() }),
  new: z.strictObject({ version: z.string(), hash: z.string(), source: z.string() }),
  changes: z.array(Change),
  summary: z.strictObject({ breaking: z.number().int(), tolerate: z.number().int(), compatible: z.number().int() }),
  /** The re-certification scope: the rules and endpoints to run again. */
  scope: z.strictObject({
    rules: z.array(z.string()),
    endpoints: z.array(z.string()),
    /** Rules NEW has and OLD did not: what a targeted run may hold as pending. */
    newRules: z.array(z.string()),
  }),
});
export type SpecDiff = z.infer<typeof SpecDiff>;

/** Tighter, looser, or neither (a changed pattern that is neither a subset nor a superset). */
type Direction2 = 'tighter' | 'looser' | 'different';

/** Compares two patterns on samples of each (fast-check's stringMatching, fixed seed): widened, narrowed, or otherwise changed. */
export function comparePatterns(oldSource: string, newSource: string): Direction2 {
  const compile = (s: string) => {
    try {
      return new RegExp(s, 'u');
    } catch {
      return new RegExp(s);
    }
  };
  const a = compile(oldSource);
  const b = compile(newSource);
  const samples = (re: RegExp) => fc.sample(fc.stringMatching(re), { numRuns: 300, seed: 42 });
  const oldInNew = samples(a).every((v) => b.test(v));
  const newInOld = samples(b).every((v) => a.test(v));
  if (oldInNew && !newInOld) return 'looser';
  if (newInOld && !oldInNew) return 'tighter';
  return 'different';
}

function numberDirection(kind: ConstraintKind, oldV: number, newV: number): Direction2 {
  const lowerBound = kind === 'minLength' || kind === 'minimum';
  return (newV > oldV) === lowerBound ? 'tighter' : 'looser';
}

function enumDirection(oldV: readonly string[], newV: readonly string[]): { dir: Direction2; detail: string } {
  const added = newV.filter((v) => !oldV.includes(v));
  const removed = oldV.filter((v) => !newV.includes(v));
  const detail = [added.length > 0 ? `enum value(s) added: ${added.join(', ')}` : '', removed.length > 0 ? `enum value(s) removed: ${removed.join(', ')}` : '']
    .filter((s) => s !== '')
    .join('; ');
  return { dir: removed.length === 0 ? 'looser' : added.length === 0 ? 'tighter' : 'different', detail };
}

/** Whether the issuer produces the message (its response to D1, its request to D1). */
function issuerSends(c: Pick<Constraint, 'direction' | 'part'>): boolean {
  return (c.direction === 'issuer-as-server') === (c.part === 'response');
}

function judge(c: Pick<Constraint, 'direction' | 'part'>, dir: Direction2, what: string): { classification: Classification; reason: string } {
  const who = c.direction === 'issuer-as-server' ? 'issuer as server' : 'issuer as client';
  if (issuerSends(c)) {
    if (dir === 'looser') return { classification: 'compatible', reason: `${who}: the issuer sends this; ${what} accepts everything it accepted` };
    return { classification: 'breaking', reason: `${who}: the issuer sends this; ${what} may refuse values the issuer sends today` };
  }
  if (dir === 'tighter') return { classification: 'compatible', reason: `${who}: D1 sends this; ${what} only narrows what the issuer receives` };
  return {
    classification: dir === 'looser' ? 'tolerate' : 'breaking',
    reason:
      dir === 'looser'
        ? `${who}: D1 sends this; the issuer must tolerate ${what} (D1 change policy): re-test as a tolerant reader`
        : `${who}: D1 sends this; ${what} changes what the issuer receives`,
  };
}

function classify(change: 'added' | 'removed' | 'changed', c: Constraint, oldV: Constraint['value'] | undefined, newV: Constraint['value'] | undefined): Omit<Change, 'change' | 'kind' | 'key' | 'ruleId' | 'endpoint' | 'direction' | 'part' | 'path' | 'old' | 'new'> {
  const field = c.path === '' ? 'the message' : c.path;
  switch (c.kind) {
    case 'endpoint':
      if (change === 'added') return { detail: `new endpoint ${String(newV)}`, classification: 'compatible', reason: 'a new endpoint: nothing the issuer does today changes (a profile may make it mandatory)' };
      if (change === 'removed') return { detail: `endpoint removed: ${String(oldV)}`, classification: 'breaking', reason: 'the endpoint is gone from D1\'s documents: calls to or from it stop working' };
      return { detail: `endpoint moved: ${String(oldV)} -> ${String(newV)}`, classification: 'breaking', reason: 'the method or path changed' };
    case 'status': {
      const status = Number(change === 'removed' ? oldV : newV);
      const issuerAnswers = c.direction === 'issuer-as-server';
      if (change === 'added')
        return issuerAnswers
          ? { detail: `new documented status ${status}`, classification: 'compatible', reason: 'issuer as server: the issuer may now answer it' }
          : { detail: `new documented status ${status}`, classification: 'tolerate', reason: 'issuer as client: D1 may answer it; the issuer must handle it (D1 change policy)' };
      return issuerAnswers
        ? { detail: `status ${status} no longer documented`, classification: 'breaking', reason: 'issuer as server: an issuer answering it answers an undocumented status' }
        : { detail: `status ${status} no longer documented`, classification: 'compatible', reason: 'issuer as client: D1 stops answering it' };
    }
    case 'type':
      if (change === 'added') return { detail: `new field ${field} (${String(newV)})`, ...judge(c, 'looser', `a new optional field`) };
      if (change === 'removed')
        return issuerSends(c)
          ? { detail: `field ${field} removed`, classification: 'compatible', reason: 'the issuer sends this; D1 no longer documents the field (sending it is tolerated)' }
          : { detail: `field ${field} removed`, classification: 'breaking', reason: 'D1 sends this; the field the issuer may read is gone' };
      return { detail: `${field} retyped: ${String(oldV)} -> ${String(newV)}`, classification: 'breaking', reason: 'the field changed type' };
    case 'required':
      if (change === 'added') return { detail: `${field} made required`, ...judge(c, 'tighter', 'a newly required field') };
      return issuerSends(c)
        ? { detail: `${field} made optional`, classification: 'compatible', reason: 'the issuer sends this; it may now leave the field out' }
        : { detail: `${field} made optional`, classification: 'breaking', reason: 'D1 sends this; the field the issuer may rely on can now be missing' };
    case 'closed':
      return change === 'added'
        ? { detail: `${field} closed (additionalProperties: false)`, ...judge(c, 'tighter', 'no undocumented field') }
        : { detail: `${field} open to new fields`, ...judge(c, 'looser', 'new fields') };
    case 'enum': {
      const { dir, detail } =
        change === 'changed'
          ? enumDirection(oldV as string[], newV as string[])
          : { dir: (change === 'added' ? 'tighter' : 'looser') as Direction2, detail: change === 'added' ? 'enum added' : 'enum removed' };
      return { detail: `${field}: ${detail}`, ...judge(c, dir, detail) };
    }
    case 'pattern': {
      const dir: Direction2 = change === 'added' ? 'tighter' : change === 'removed' ? 'looser' : comparePatterns(String(oldV), String(newV));
      const word = { tighter: 'narrowed', looser: 'widened', different: 'changed' }[dir];
      const detail = change === 'changed' ? `${field}: pattern ${word} ${String(oldV)} -> ${String(newV)}` : `${field}: pattern ${change === 'added' ? `added ${String(newV)}` : 'removed'}`;
      return { detail, ...judge(c, dir, `the pattern ${word}`) };
    }
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum': {
      const dir: Direction2 =
        change === 'changed' ? numberDirection(c.kind, Number(oldV), Number(newV)) : change === 'added' ? 'tighter' : 'looser';
      const detail = `${field}: ${c.kind} ${change === 'added' ? `added ${String(newV)}` : change === 'removed' ? `removed (was ${String(oldV)})` : `${String(oldV)} -> ${String(newV)}`}`;
      return { detail, ...judge(c, dir, `${c.kind} ${dir === 'tighter' ? 'tightened' : 'loosened'}`) };
    }
  }
}

/** The changes from OLD to NEW, classified, with the re-certification scope. */
export function diffRulebooks(oldBook: RulebookSnapshot, newBook: RulebookSnapshot): SpecDiff {
  const before = new Map(oldBook.constraints.map((c) => [c.key, c]));
  const after = new Map(newBook.constraints.map((c) => [c.key, c]));
  const changes: Change[] = [];
  const push = (change: Change['change'], c: Constraint, oldV: Constraint['value'] | undefined, newV: Constraint['value'] | undefined) =>
    changes.push({
      change,
      kind: c.kind,
      key: c.key,
      ruleId: c.ruleId,
      endpoint: c.endpoint,
      direction: c.direction,
      part: c.part,
      path: c.path,
      ...(oldV !== undefined ? { old: oldV } : {}),
      ...(newV !== undefined ? { new: newV } : {}),
      ...classify(change, c, oldV, newV),
    });
  for (const [key, c] of after) {
    const was = before.get(key);
    if (!was) push('added', c, undefined, c.value);
    else if (JSON.stringify(was.value) !== JSON.stringify(c.value)) push('changed', c, was.value, c.value);
  }
  for (const [key, c] of before) if (!after.has(key)) push('removed', c, c.value, undefined);
  // A new field's own constraints (its pattern, its lengths) are part of "new field", and a new
  // (or removed) endpoint's constraints part of "new endpoint": one change each, not five.
  const fieldOf = (c: Change) => c.key.split('|').slice(0, 2).join('|');
  const newFields = new Set(changes.filter((c) => c.change === 'added' && c.kind === 'type').map(fieldOf));
  const goneFields = new Set(changes.filter((c) => c.change === 'removed' && c.kind === 'type').map(fieldOf));
  const newEndpoints = new Set(changes.filter((c) => c.change === 'added' && c.kind === 'endpoint').map((c) => c.endpoint));
  const goneEndpoints = new Set(changes.filter((c) => c.change === 'removed' && c.kind === 'endpoint').map((c) => c.endpoint));
  const folded = changes.filter((c) => {
    if (c.kind === 'endpoint') return true;
    if ((c.change === 'added' && newEndpoints.has(c.endpoint)) || (c.change === 'removed' && goneEndpoints.has(c.endpoint))) return false;
    if (c.kind === 'type' || c.kind === 'required') return true;
    return !(c.change === 'added' && newFields.has(fieldOf(c))) && !(c.change === 'removed' && goneFields.has(fieldOf(c)));
  });
  folded.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const oldRules = new Set(oldBook.rules.map((r) => r.id));
  const rules = [...new Set(folded.map((c) => c.ruleId))].sort();
  return {
    format: 'd1-conformance-diff/1',
    old: { version: oldBook.version, hash: oldBook.hash, source: oldBook.source },
    new: { version: newBook.version, hash: newBook.hash, source: newBook.source },
    changes: folded,
    summary: {
      breaking: folded.filter((c) => c.classification === 'breaking').length,
      tolerate: folded.filter((c) => c.classification === 'tolerate').length,
      compatible: folded.filter((c) => c.classification === 'compatible').length,
    },
    scope: {
      rules,
      endpoints: [...new Set(folded.map((c) => c.endpoint))].sort(),
      newRules: newBook.rules.filter((r) => !oldRules.has(r.id)).map((r) => r.id).sort(),
    },
  };
}
