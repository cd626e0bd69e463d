import { ConfigurationError, TargetError, UsageError } from '../core/errors/index.js';
import type { CommandIo } from './command-io.js';
import { COMMAND_SPECS, type CommandName } from './command-specs.js';
import { asksForHelp, commandHelp, overviewHelp } from './parse-command.js';

type Command = (args: readonly string[], io: CommandIo) => number | Promise<number>;

const COMMANDS: Record<CommandName, Command> = {
  // Loaded on use: `rules` should not pay for the harness and the reference issuer.
  run: async (args, io) => (await import('./commands/run-command.js')).runCommand(args, io),
  'verify-pacts': async (args, io) => (await import('./commands/pact-commands.js')).verifyPactsCommand(args, io),
  pacts: async (args, io) => (await import('./commands/pact-commands.js')).pactsCommand(args, io),
  rules: async (args, io) => (await import('./commands/rules-command.js')).rulesCommand(args, io.out),
  policies: async (args, io) => (await import('./commands/policies-command.js')).policiesCommand(args, io.out),
  merge: async (args, io) => (await import('./commands/merge-command.js')).mergeCommand(args, io),
  simulate: async (args, io) => (await import('./commands/simulate-command.js')).simulateCommand(args, io),
  'client-check': async (args, io) => (await import('./commands/client-check-command.js')).clientCheckCommand(args, io),
  keys: async (args, io) => (await import('./commands/bundle-commands.js')).keysCommand(args, io),
  bundle: async (args, io) => (await import('./commands/bundle-commands.js')).bundleCommand(args, io),
  verify: async (args, io) => (await import('./commands/bundle-commands.js')).verifyCommand(args, io),
  init: async (args, io) => (await import('./commands/init-command.js')).initCommand(args, io),
  'import-openapi': async (args, io) => (await import('./commands/spec-commands.js')).importOpenApiCommand(args, io),
  diff: async (args, io) => (await import('./commands/spec-commands.js')).diffCommand(args, io),
};

/**
 * The CLI: thin by design. It dispatches, and turns every expected failure into one clear line
 * on stderr and exit code 2; never a stack trace.
 */
export async function main(
  argv: readonly string[],
  out: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
  err: (text: string) => void = (t) => process.stderr.write(`${t}\n`),
  /** When the process started (the bin passes performance.timeOrigin): what --max-time counts from. */
  startedAt: number = Date.now(),
): Promise<number> {
  const [name = 'help', ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0];
    out(topic !== undefined && isCommand(topic) ? commandHelp(topic) : overviewHelp());
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    out(await versionLine());
    return 0;
  }
  if (!isCommand(name)) {
    err(`d1-conformance: unknown command "${name}" (try: ${Object.keys(COMMANDS).join(', ')}, or d1-conformance help)`);
    return 2;
  }
  if (asksForHelp(rest)) {
    out(commandHelp(name));
    return 0;
  }
  const command = COMMANDS[name];
  try {
    return await command(rest, { out, err, startedAt });
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigurationError || e instanceof TargetError) {
      err(`d1-conformance ${name}: ${e.message}`);
      return 2;
    }
    if (isNodeArgError(e)) {
      err(`d1-conformance ${name}: ${e.message} (d1-conformance ${name} --help lists its flags)`);
      return 2;
    }
    err(`d1-conformance ${name}: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

function isNodeArgError(e: unknown): e is Error {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS');
}

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_SPECS, name);
}

/** `d1-conformance --version`: the package's version and the rulebook's, the two a report names. */
async function versionLine(): Promise<string> {
  const [{ PACKAGE_NAME, TOOL_VERSION }, { RULEBOOK_VERSION }] = await Promise.all([import('../core/version.js'), import('../../contracts/version.js')]);
  return `d1-conformance ${TOOL_VERSION} (${PACKAGE_NAME}), rulebook ${RULEBOOK_VERSION}`;
}
