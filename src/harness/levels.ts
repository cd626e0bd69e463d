import { ruleById } from '../../contracts/index.js';

/** A breached SHOULD is a warning; a breached MUST or POLICY fails. */
export function breachStatus(ruleId: string): 'FAILED' | 'WARNING' {
  const rule = ruleById(ruleId);
  if (!rule) throw new Error(`suite names unknown rule ${ruleId}`);
  return rule.level === 'SHOULD' ? 'WARNING' : 'FAILED';
}
