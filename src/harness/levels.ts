import { statusOfBreach } from '../verdict/verdict.js';

/** Kept for call sites not yet moved to src/verdict: the breach status under the default policies. */
export function breachStatus(ruleId: string): 'FAILED' | 'WARNING' {
  const s = statusOfBreach(ruleId);
  return s === 'IGNORED' ? 'WARNING' : s;
}
