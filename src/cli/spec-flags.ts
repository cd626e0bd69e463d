import { readFileSync } from 'node:fs';
import { ConfigurationError, UsageError } from '../core/errors/index.js';
import { builtinSnapshot } from '../core/spec-change/builtin.js';
import { diffRulebooks, SpecDiff } from '../core/spec-change/diff.js';
import { loadRulebook } from '../core/spec-change/load-rulebook.js';
import { uncheckedAdditions } from '../core/spec-change/overlay.js';
import type { RulebookSnapshot } from '../core/spec-change/snapshot.js';

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
