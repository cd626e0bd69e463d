/**
 * The command line that reproduces a run, printed in every report and used by every finding's
 * replay: the user's own config file, target, issuer, profiles, variant and seed, so that pasting it
 * runs the same checks against the same system. Nothing secret goes in: flags carry file paths, not
 * secrets, and a URL loses any user and password it carries.
 */

import { withoutUserInfo } from './url.js';

export type FlagValue = string | readonly string[] | boolean | undefined;

/** The flags (in this order) that decide what a run checks; report-only flags (--out, --report) are left out. */
const REPLAYED = ['config', 'target', 'issuer-id', 'profile', 'variant', 'rulebook', 'since', 'rules-from', 'pending-until', 'runs', 'faults', 'timeout', 'seed', 'shard'] as const;

export function replayCommand(command: string, flags: Readonly<Record<string, FlagValue>>, tail?: string): string {
  const parts = ['npx', 'd1-conformance', command];
  for (const name of REPLAYED) {
    const value = flags[name];
    if (value === undefined || value === false) continue;
    if (value === true) parts.push(`--${name}`);
    else for (const v of typeof value === 'string' ? [value] : value) parts.push(`--${name}`, shellQuote(name === 'target' ? withoutUserInfo(v) : v));
  }
  if (tail !== undefined) parts.push('--', tail);
  return parts.join(' ');
}

/** POSIX single quotes when the word needs them. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
