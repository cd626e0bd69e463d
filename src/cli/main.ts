import { ConfigurationError, TargetError, UsageError } from '../core/errors/index.js';
import type { CommandIo } from './command-io.js';

const HELP = `d1-conformance: conformance suite for issuers integrating with Thales D1

Usage:
  d1-conformance run [--target URL] [--issuer-id ID] [--config FILE] [--seed N] [--out DIR] [--profile P] [--runs N]
                     [--report json,junit,html,md] [--waivers FILE] [--fail-on must|should] [--max-failures N] [--shard i/n]
                     [--max-time SECONDS] [--rate-limit N/s] [--concurrency N]
                     [--provider-states-url URL] [--broker-url URL --provider-version V [--provider-branch B]]
      Certify an issuer backend as a server (the suites, and the Pact verification of the D1 -> issuer pact).
      With no target, runs against the bundled reference issuer.
  d1-conformance verify-pacts [--target URL] [--issuer-id ID] [--config FILE] [--profile P] [--out DIR] [--report ...] [--max-time S]
                     [--waivers FILE] [--fail-on must|should] [--provider-states-url URL]
                     [--broker-url URL --provider-version V [--provider-branch B]]
      Only the Pact provider verification of the D1 -> issuer pact, against the same targets as run.
      Broker: pacts from the broker, verification results published there (token in PACT_BROKER_TOKEN).
  d1-conformance pacts --out DIR [--broker-url URL]
      Write the Pact V4 files generated from the rulebook (D1 -> issuer-backend, issuer-backend -> D1).
  d1-conformance rules [--json] [--direction server|client] [--endpoint ID] [--level MUST|SHOULD|POLICY]
  d1-conformance policies [--json]
  d1-conformance merge REPORT_DIR... --out DIR [--waivers FILE] [--fail-on must|should]
      Join the reports of the shards of one run (--shard i/n) into one report, judged as one run.
  d1-conformance client-check [--config FILE] [--issuer-id ID] [--profile P] [--faults] [--timeout SECONDS] [--out DIR]
                     [--report ...] [--waivers FILE] [--fail-on must|should] [-- COMMAND [ARGS...]]
      Certify an issuer backend as a client of D1: start the D1 simulator, run COMMAND (your integration tests)
      with D1_BASE_URL, D1_TOKEN_URL, D1_ISSUER_ID, D1_JWE_PUBLIC_KEY (a JWK file) and D1_JWE_KID set, grade
      every call it makes. With no command, runs the bundled reference client. Rules never exercised: NOT TESTED.
  d1-conformance simulate [--config FILE] [--port N] [--issuer-id ID] [--faults] [--out DIR] [--report ...]
      Run the D1 simulator on 127.0.0.1 until Ctrl-C, then write the report of every call it graded.
  d1-conformance keys --out DIR [--for bundle|issuer]
      Generate an ES256 key pair (mode 0600 private, public JWK): --for bundle (default) signs report bundles,
      --for issuer signs your JWT assertions to D1 (register the public key in the simulator's issuerKeys).
  d1-conformance bundle --key PRIVATE_JWK_FILE [--report DIR] [--out FILE]
      Pack a report (default: the newest under reports/) into one signed .tar.gz for a certifier.
  d1-conformance verify BUNDLE --pub PUBLIC_JWK_FILE
      Check a bundle offline: signature and every part's SHA-256. Exit 1 if anything was altered.
  d1-conformance help

Exit codes: 0 success, 1 a finding fails the gate, 2 the tool could not do its job (bad input), 130 interrupted (Ctrl-C; 143 SIGTERM, 129 SIGHUP).`;

type Command = (args: readonly string[], io: CommandIo) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  // Loaded on use: `rules` should not pay for vitest and the reference issuer.
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
  help: (_args, io) => {
    io.out(HELP);
    return 0;
  },
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
  const command = COMMANDS[name === '--help' || name === '-h' ? 'help' : name];
  if (!command) {
    err(`d1-conformance: unknown command "${name}" (try: ${Object.keys(COMMANDS).join(', ')})`);
    return 2;
  }
  try {
    return await command(rest, { out, err, startedAt });
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
