import { UsageError } from '../errors/index.js';
import { policiesCommand } from './policies-command.js';
import { rulesCommand } from './rules-command.js';

const HELP = `d1-conformance: conformance suite for issuers integrating with Thales D1

Usage:
  d1-conformance rules [--json] [--direction server|client] [--endpoint ID] [--level MUST|SHOULD|POLICY]
  d1-conformance policies [--json]
  d1-conformance help

Exit codes: 0 success, 1 a finding fails the gate, 2 the tool could not do its job (bad input), 130 interrupted.`;

type Command = (args: readonly string[], out: (text: string) => void) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  rules: rulesCommand,
  policies: policiesCommand,
  help: (_args, out) => {
    out(HELP);
    return 0;
  },
};

/**
 * The CLI: thin by design. It dispatches, and turns every expected failure into one clear line
 * on stderr and exit code 2; never a stack trace.
 */
export async function main(argv: readonly string[], out: (text: string) => void = (t) => process.stdout.write(`${t}\n`), err: (text: string) => void = (t) => process.stderr.write(`${t}\n`)): Promise<number> {
  const [name = 'help', ...rest] = argv;
  const command = COMMANDS[name === '--help' || name === '-h' ? 'help' : name];
  if (!command) {
    err(`d1-conformance: unknown command "${name}" (try: ${Object.keys(COMMANDS).join(', ')})`);
    return 2;
  }
  try {
    return await command(rest, out);
  } catch (e) {
    if (e instanceof UsageError || isNodeArgError(e)) {
      err(`d1-conformance ${name}: ${e.message}`);
      return 2;
    }
    err(`d1-conformance ${name}: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

function isNodeArgError(e: unknown): e is Error {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS');
}
