import { DEFAULT_POLICIES, POLICY_DOCS, rulesDecidedBy, type PolicyName } from '../../../contracts/index.js';
import { table } from '../../outputs/table.js';
import { parseCommand } from '../parse-command.js';
import { COMMAND_SPECS } from '../command-specs.js';

/** `d1-conformance policies [--json]`: every named policy, its default, and why it exists. */
export function policiesCommand(args: readonly string[], out: (text: string) => void): number {
  const { values } = parseCommand(COMMAND_SPECS['policies'], args);
  const names = Object.keys(POLICY_DOCS) as PolicyName[];
  const entries = names.map((name) => ({ name, default: DEFAULT_POLICIES[name], ...POLICY_DOCS[name], rules: rulesDecidedBy(name) }));
  if (values.json) {
    out(JSON.stringify(entries, null, 2));
    return 0;
  }
  out(
    table(
      ['POLICY', 'DEFAULT', 'RULES', 'MEANING'],
      entries.map((e) => [e.name, JSON.stringify(e.default), e.rules.join(','), e.title]),
    ),
  );
  return 0;
}
