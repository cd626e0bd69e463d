import { readFileSync } from 'node:fs';
import { ConfigurationError, UsageError } from '../core/errors/index.js';
import { builtinSnapshot } from '../core/spec-change/builtin.js';
import { diffRulebooks, SpecDiff } from '../core/spec-change/diff.js';
import { loadRulebook } from '../core/spec-change/load-rulebook.js';
import { uncheckedAdditions } from '../core/spec-change/overlay.js';
import type { RulebookSnapshot } from '../core/spec-change/snapshot.js';
import { pendingWaivers } from '../core/results/waivers.js';
import type { ReportInput } from '../core/results/build-report.js';

/** What `run --since / --rules-from / --rulebook / --pending-until` ask for. */
export interface SpecChangeRun {
  /** The rulebook to check under, when not the built-in one. */
  readonly rulebook?: RulebookSnapshot;
  /** A targeted re-run: the changes it re-checks, counted from `since`. */
  readonly targeted?: { readonly since: string; readonly diff: SpecDiff; readonly pendingUntil?: string };
  /** Constraints of the rulebook no check judges yet: `key` lines for the report. */
  readonly unchecked: readonly string[];
  readonly notes: readonly string[];
}

export function specChangeFlags(values: {
  since?: string | undefined;
  'rules-from'?: string | undefined;
  rulebook?: string | undefined;
  'pending-until'?: string | undefined;
}): SpecChangeRun {
  if (values.since !== undefined && values['rules-from'] !== undefined) throw new UsageError('--since and --rules-from both choose what to re-run: give one');
  const pendingUntil = values['pending-until'];
  if (pendingUntil !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(pendingUntil) || Number.isNaN(Date.parse(pendingUntil))) throw new UsageError(`--pending-until must be a date YYYY-MM-DD; got "${pendingUntil}"`);
    if (values.since === undefined && values['rules-from'] === undefined) throw new UsageError('--pending-until needs --since OLD (or --rules-from): pending rules are the rules new since OLD');
  }
  const loaded = values.rulebook !== undefined ? loadRulebook(values.rulebook) : undefined;
  const notes = (loaded?.notes ?? []).map((n) => `${n.where}: ${n.text}`);
  const current = loaded?.snapshot ?? builtinSnapshot();
  let targeted: SpecChangeRun['targeted'];
  if (values.since !== undefined) {
    const old = loadRulebook(values.since);
    notes.push(...old.notes.map((n) => `${n.where}: ${n.text}`));
    targeted = { since: values.since, diff: diffRulebooks(old.snapshot, current), ...(pendingUntil ? { pendingUntil } : {}) };
  } else if (values['rules-from'] !== undefined) {
    const file = values['rules-from'];
    let parsed;
    try {
      parsed = SpecDiff.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (e) {
      throw new ConfigurationError(`--rules-from ${file}: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)}`);
    }
    if (!parsed.success) throw new ConfigurationError(`--rules-from ${file}: not a diff written by \`d1-conformance diff --out\` (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    if (parsed.data.new.hash !== current.hash)
      throw new ConfigurationError(`--rules-from ${file}: the diff leads to rulebook ${parsed.data.new.version}, not the run's ${current.version} (give the same rulebook with --rulebook)`);
    targeted = { since: parsed.data.old.version, diff: parsed.data, ...(pendingUntil ? { pendingUntil } : {}) };
  }
  const unchecked = loaded ? uncheckedAdditions(builtinSnapshot(), loaded.snapshot).map((c) => `${c.ruleId} ${c.endpoint} ${c.path || '(endpoint)'}`) : [];
  return { ...(loaded ? { rulebook: loaded.snapshot } : {}), ...(targeted ? { targeted } : {}), unchecked, notes };
}

/** The endpoints of one direction a targeted re-run is about (undefined: not a targeted re-run). */
export function targetedEndpoints(spec: SpecChangeRun, ofDirection: readonly string[]): string[] | undefined {
  return spec.targeted ? spec.targeted.diff.scope.endpoints.filter((e) => ofDirection.includes(e)) : undefined;
}

/**
 * What a targeted re-run or another rulebook adds to the report. `notJudgedOutside`: the run
 * called only the endpoints in scope (run), so the others are "not judged in this targeted
 * re-run"; client-check grades whatever the issuer's command calls, and keeps its NOT TESTED.
 */
export function specChangeReport(spec: SpecChangeRun, endpoints: readonly string[] | undefined, today: string, options: { notJudgedOutside: boolean }): Partial<ReportInput> {
  const rulebook = spec.rulebook
    ? { rulebook: { version: spec.rulebook.version, hash: spec.rulebook.hash, ...(spec.unchecked.length > 0 ? { unchecked: [...spec.unchecked] } : {}) } }
    : {};
  const t = spec.targeted;
  if (!t) return rulebook;
  const { scope } = t.diff;
  const pending = t.pendingUntil !== undefined ? pendingWaivers(scope.newRules, t.since, t.pendingUntil, today) : [];
  return {
    ...rulebook,
    ...(options.notJudgedOutside
      ? { notExercised: `not judged in this targeted re-run (the changes since ${t.since} touch ${(endpoints ?? []).join(', ')}); run without --since to certify` }
      : {}),
    pending,
    targeted: {
      since: t.since,
      rulebook: spec.rulebook?.version ?? 'builtin',
      rules: scope.rules,
      endpoints: [...(endpoints ?? [])],
      stale: scope.rules.filter((id) => !scope.newRules.includes(id)),
      pending: pending.map((w) => w.ruleId),
      ...(t.pendingUntil !== undefined ? { pendingUntil: t.pendingUntil } : {}),
      unchecked: [...spec.unchecked],
    },
  };
}
