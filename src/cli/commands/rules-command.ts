import { ENDPOINTS, RULEBOOK_HASH, RULEBOOK_VERSION, RULES } from '../../../contracts/index.js';
import { Level, type Direction } from '../../core/rulebook/rule.js';
import { UsageError } from '../../core/errors/index.js';
import { table } from '../../outputs/table.js';
import { parseCommand } from '../parse-command.js';
import { COMMAND_SPECS } from '../command-specs.js';

const DIRECTION_ALIASES: Record<string, Direction> = {
  server: 'issuer-as-server',
  'issuer-as-server': 'issuer-as-server',
  client: 'issuer-as-client',
  'issuer-as-client': 'issuer-as-client',
};

/** `d1-conformance rules [--json] [--direction D] [--endpoint E] [--level L]`: the rulebook, filtered. */
export function rulesCommand(args: readonly string[], out: (text: string) => void): number {
  const { values } = parseCommand(COMMAND_SPECS['rules'], args);

  let rules = [...RULES];
  if (values.direction !== undefined) {
    const direction = DIRECTION_ALIASES[values.direction];
    if (!direction) throw new UsageError(`--direction must be one of issuer-as-server (server), issuer-as-client (client); got "${values.direction}"`);
    rules = rules.filter((r) => r.direction === direction);
  }
  if (values.endpoint !== undefined) {
    const endpointId = values.endpoint;
    if (!ENDPOINTS.some((e) => e.id === endpointId)) {
      throw new UsageError(`--endpoint must be one of ${ENDPOINTS.map((e) => e.id).join(', ')}; got "${endpointId}"`);
    }
    rules = rules.filter((r) => r.endpoints.includes(endpointId));
  }
  if (values.level !== undefined) {
    const level = Level.safeParse(values.level.toUpperCase());
    if (!level.success) throw new UsageError(`--level must be one of ${Level.options.join(', ')}; got "${values.level}"`);
    rules = rules.filter((r) => r.level === level.data);
  }

  if (values.json) {
    out(JSON.stringify({ version: RULEBOOK_VERSION, hash: RULEBOOK_HASH, rules }, null, 2));
    return 0;
  }
  const rows = rules.map((r) => [
    r.id,
    r.level,
    r.direction === 'issuer-as-server' ? 'server' : 'client',
    endpointsText(r.endpoints, r.direction),
    `${r.title}${r.profile ? ` [${r.profile}]` : ''}`,
  ]);
  out(table(['ID', 'LEVEL', 'ISSUER', 'ENDPOINTS', 'RULE'], rows));
  out(`\n${rules.length} of ${RULES.length} rules, rulebook ${RULEBOOK_VERSION} (sha256 ${RULEBOOK_HASH.slice(0, 12)}). Sources: d1-conformance rules --json.`);
  return 0;
}

/** Short endpoint names; `*` for every endpoint of the direction, `*APIs` for all but the token call. */
function endpointsText(endpoints: readonly string[], direction: Direction): string {
  const own = ENDPOINTS.filter((e) => e.direction === direction).map((e) => e.id);
  const apis = own.filter((e) => !e.endsWith('.token'));
  if (own.every((e) => endpoints.includes(e))) return '*';
  if (endpoints.length === apis.length && apis.every((e) => endpoints.includes(e))) return '*APIs';
  return endpoints.map((e) => e.slice(e.indexOf('.') + 1)).join(',');
}
