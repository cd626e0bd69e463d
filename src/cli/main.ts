import { ConfigurationError, TargetError, UsageError } from '../errors/index.js';

const HELP = `d1-conformance: conformance suite for issuers integrating with Thales D1

Usage:
  d1-conformance run [--target URL] [--issuer-id ID] [--config FILE] [--seed N] [--out DIR] [--profile P] [--runs N]
      Certify an issuer backend as a server. With no target, runs against the bundled reference issuer.
  d1-conformance rules [--json] [--direction server|client] [--endpoint ID] [--level MUST|SHOULD|POLICY]
  d1-conformance policies [--json]
  d1-conformance help

Exit codes: 0 success, 1 a finding fails the gate, 2 the tool could not do its job (bad input), 130 interrupted.`;

type Command = (args: readonly string[], out: (text: string) => void) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  // Loaded on use: `rules` should not pay for vitest and the reference issuer.
  run: async (args, out) => (await import('../run/run-command.js')).runCommand(args, { out, err: (t) => process.stderr.write(`${t}\n`) }),
  rules: async (args, out) => (await import('./rules-command.js')).rulesCommand(args, out),
  policies: async (args, out) => (await import('./policies-command.js')).policiesCommand(args, out),
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
    if (e instanceof UsageError || e instanceof ConfigurationError || e instanceof TargetError || isNodeArgError(e)) {
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
