/**
 * Every command and every flag of the CLI, as data: the parser (`parseCommand`), `<command>
 * --help` and the top-level help are all derived from here, so a flag cannot exist without its
 * help line. Plain data, no imports: `--help` loads nothing else.
 */

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** The value's placeholder in the help (string flags). */
  readonly value?: string;
  readonly help: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface CommandSpec<F extends FlagSpecs = FlagSpecs> {
  readonly summary: string;
  /** What follows the flags (positionals), as shown in the usage line. */
  readonly operands?: string;
  readonly flags: F;
  /** More lines for `<command> --help`. */
  readonly details?: readonly string[];
}

/** Which issuer a command checks: `run` and `verify-pacts` share them. */
export const TARGET_FLAGS = {
  config: { type: 'string', value: 'FILE', help: 'configuration file, JSON or YAML (start one with `d1-conformance init`)' },
  target: { type: 'string', value: 'URL', help: "the issuer backend's base URL (default: the bundled reference issuer)" },
  'issuer-id': { type: 'string', value: 'ID', help: 'the issuerId in the paths (overrides the config file)' },
  variant: { type: 'string', value: 'NAME', help: "a broken reference issuer instead of the compliant one (the project's own proofs)" },
  profile: { type: 'string', multiple: true, value: 'P', help: 'endpoints in scope, comma-separated or repeated (see README, "Profiles")' },
} as const satisfies FlagSpecs;

/** How long and how fast a run may go. */
export const LIMIT_FLAGS = {
  'max-time': { type: 'string', value: 'SECONDS', help: 'the whole run, start-up and reports included; later steps are SKIPPED' },
  'rate-limit': { type: 'string', value: 'N/s', help: 'at most N requests per second to the target' },
  concurrency: { type: 'string', value: 'N', help: 'tests of a suite run at once (1-32, default 1)' },
} as const satisfies FlagSpecs;

/** The reports and the gate. */
export const REPORT_FLAGS = {
  out: { type: 'string', value: 'DIR', help: 'where the reports go (default: a new folder under reports/)' },
  report: { type: 'string', value: 'FORMATS', help: 'json,junit,html,md (default: all)' },
  waivers: { type: 'string', value: 'FILE', help: 'accepted findings, YAML (examples/d1-waivers.yaml)' },
  attestations: { type: 'string', value: 'FILE', help: 'rules you attest, with evidence, where no check can judge them (reported ATTESTED)' },
  'fail-on': { type: 'string', value: 'must|should', help: 'what fails the gate: MUST rules (default), or SHOULD rules too' },
} as const satisfies FlagSpecs;

/** What the console shows while and after a command runs. */
export const OUTPUT_FLAGS = {
  quiet: { type: 'boolean', short: 'q', help: 'print only the verdict, the reports folder and errors' },
  verbose: { type: 'boolean', short: 'v', help: 'also every test as it ends, the policies in use and every failure' },
} as const satisfies FlagSpecs;

/** The Pact provider verification's flags, `run` and `verify-pacts`. */
export const PACT_VERIFY_FLAGS = {
  'provider-states-url': { type: 'string', value: 'URL', help: "your own provider-state handler (default: the run's own, through the config)" },
  'broker-url': { type: 'string', value: 'URL', help: 'take the pacts from a Pact Broker and publish the results there' },
  'provider-version': { type: 'string', value: 'V', help: "the issuer backend's version the results are published for (e.g. the commit)" },
  'provider-branch': { type: 'string', value: 'B', help: "the issuer backend's branch, for the broker" },
  'consumer-version-selectors': {
    type: 'string',
    value: 'JSON',
    help: 'which pacts the broker gives, a JSON array (default \'[{"mainBranch":true},{"deployedOrReleased":true}]\')',
  },
  'enable-pending': { type: 'boolean', help: 'pending pacts (not yet verified on this branch) are verified but do not fail the gate' },
  'include-wip-pacts-since': {
    type: 'string',
    value: 'YYYY-MM-DD',
    help: 'also verify work-in-progress pacts published since then (needs --enable-pending and --provider-branch)',
  },
} as const satisfies FlagSpecs;

/** The D1 simulator's flags, `client-check` and `simulate`. */
export const SIMULATOR_FLAGS = {
  config: { type: 'string', value: 'FILE', help: 'simulator configuration, JSON or YAML (start one with `d1-conformance init --direction client`)' },
  'issuer-id': { type: 'string', value: 'ID', help: 'the issuerId the simulator serves (overrides the config file)' },
  profile: { type: 'string', multiple: true, value: 'P', help: 'D1 APIs in scope, comma-separated or repeated' },
  port: { type: 'string', value: 'N', help: 'the port on 127.0.0.1 (default: any free one)' },
  faults: { type: 'boolean', help: "inject D1's documented faults and compatible changes (unknown fields, new enum values)" },
  tls: {
    type: 'boolean',
    help: 'serve HTTPS with mutual TLS as D1 does, with a simulated Thales CA (config key tls: a CSR to sign or a certificate you bring); grades IN-TLS-001..003',
  },
} as const satisfies FlagSpecs;

/** A re-check after a D1 spec change, `run` and `client-check`. */
export const SPEC_CHANGE_FLAGS = {
  since: {
    type: 'string',
    value: 'OLD',
    help: "a targeted re-run after a D1 spec change: the rules that changed from OLD (as for diff) to the run's rulebook",
  },
  'rules-from': { type: 'string', value: 'DIFF_JSON', help: 'a targeted re-run from a saved diff (diff --out FILE) instead of --since' },
  'pending-until': {
    type: 'string',
    value: 'YYYY-MM-DD',
    help: 'with --since: a rule new since OLD that fails is reported WAIVED (pending) until then, not failing the gate',
  },
  rulebook: { type: 'string', value: 'NEW', help: 'check under another rulebook: a rulebook JSON or D1 OpenAPI files (default: the built-in one)' },
} as const satisfies FlagSpecs;

export const COMMAND_SPECS = {
  run: {
    summary: 'Certify an issuer backend as a server: the suites, and the Pact verification of the D1 -> issuer pact.',
    flags: {
      ...TARGET_FLAGS,
      seed: { type: 'string', value: 'N', help: 'replay a run: any whole number (larger than 2^53-1: hashed)' },
      runs: { type: 'string', value: 'N', help: 'property-based cases per property' },
      'max-failures': { type: 'string', value: 'N', help: 'stop after N failed checks' },
      shard: { type: 'string', value: 'i/n', help: 'run every n-th suite from the i-th (join the shards with `merge`)' },
      ...SPEC_CHANGE_FLAGS,
      ...LIMIT_FLAGS,
      ...REPORT_FLAGS,
      ...PACT_VERIFY_FLAGS,
      ...OUTPUT_FLAGS,
    },
    details: ['With no target, runs against the bundled reference issuer.'],
  },
  'verify-pacts': {
    summary: 'Only the Pact provider verification of the D1 -> issuer pact, against the same targets as run.',
    flags: { ...TARGET_FLAGS, ...LIMIT_FLAGS, ...REPORT_FLAGS, ...PACT_VERIFY_FLAGS, ...OUTPUT_FLAGS },
    details: [
      'Broker: pacts from the broker, results published there. Credentials from the environment only:',
      'PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD (never both kinds).',
    ],
  },
  pacts: {
    summary: 'Write the Pact V4 files generated from the rulebook (D1 -> issuer-backend, issuer-backend -> D1).',
    flags: {
      out: { type: 'string', value: 'DIR', help: 'where the pact files go (required)' },
      'broker-url': {
        type: 'string',
        value: 'URL',
        help: "publish D1's pact (D1 -> issuer-backend) to this Pact Broker, as consumer version the rulebook version",
      },
      'consumer-branch': { type: 'string', value: 'B', help: 'the branch it is published on (default main)' },
    },
    details: ['Broker credentials from the environment only: PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD.'],
  },
  'client-check': {
    summary: 'Certify an issuer backend as a client of D1: run COMMAND (your integration tests) against the D1 simulator.',
    operands: '[-- COMMAND [ARGS...]]',
    flags: {
      ...SIMULATOR_FLAGS,
      timeout: { type: 'string', value: 'SECONDS', help: 'how long COMMAND may run (default 600)' },
      variant: { type: 'string', value: 'NAME', help: "a broken reference client instead of the compliant one (the project's own proofs)" },
      ...SPEC_CHANGE_FLAGS,
      ...REPORT_FLAGS,
      ...OUTPUT_FLAGS,
    },
    details: [
      'COMMAND runs with D1_BASE_URL, D1_TOKEN_URL, D1_ISSUER_ID, D1_JWE_PUBLIC_KEY (a JWK file) and D1_JWE_KID set;',
      'every call it makes is graded. With no command, runs the bundled reference client. Rules never exercised: NOT TESTED.',
      'With --tls, D1_BASE_URL and D1_TOKEN_URL are https and D1_TLS_CA (the CA of the simulator\'s server certificate),',
      'D1_TLS_CLIENT_CERT and D1_TLS_CLIENT_KEY (the client identity to present; PEM files) are set too.',
    ],
  },
  simulate: {
    summary: 'Run the D1 simulator on 127.0.0.1 until Ctrl-C, then write the report of every call it graded.',
    flags: { ...SIMULATOR_FLAGS, ...REPORT_FLAGS },
  },
  merge: {
    summary: 'Join the reports of the shards of one run (--shard i/n) into one report, judged as one run.',
    operands: 'REPORT_DIR...',
    flags: { ...REPORT_FLAGS, ...OUTPUT_FLAGS },
  },
  rules: {
    summary: 'List the rulebook: every rule, its level and its source.',
    flags: {
      json: { type: 'boolean', help: 'as JSON, with the sources' },
      direction: { type: 'string', value: 'server|client', help: 'only the rules of one direction' },
      endpoint: { type: 'string', value: 'ID', help: 'only the rules of one endpoint' },
      level: { type: 'string', value: 'MUST|SHOULD|POLICY', help: 'only the rules of one level' },
    },
  },
  policies: {
    summary: 'List the named policies (what the spec leaves open) and their defaults.',
    flags: { json: { type: 'boolean', help: 'as JSON' } },
  },
  init: {
    summary: 'Write a commented starter configuration for one direction, and a git-ignored keys folder.',
    flags: {
      direction: { type: 'string', value: 'server|client', help: 'issuer as server (run, default) or as client (client-check)' },
      format: { type: 'string', value: 'yaml|json', help: 'the file format (default yaml: it keeps the comments)' },
      out: { type: 'string', value: 'FILE', help: 'the file to write (default d1-conformance.yaml or d1-client.yaml)' },
      force: { type: 'boolean', help: 'overwrite an existing file' },
    },
  },
  keys: {
    summary: 'Generate an ES256 key pair (mode 0600 private, public JWK), or with --csr a TLS client key and its CSR for D1.',
    flags: {
      out: { type: 'string', value: 'DIR', help: 'where the key pair goes (required)' },
      for: { type: 'string', value: 'bundle|issuer', help: 'bundle (default) signs report bundles; issuer signs your JWT assertions to D1' },
      csr: {
        type: 'boolean',
        help: "a TLS client key (mode 0600) and a CSR, SHA-256 signed, for D1's mutual TLS: the Thales CA (or client-check's simulated one, config tls.csr) signs it",
      },
      'key-type': { type: 'string', value: 'ec-p256|rsa-4096', help: 'with --csr: the key type D1 allows (default ec-p256)' },
      cn: { type: 'string', value: 'CN', help: 'with --csr: the subject CN (Thales sets its format; it carries your issuerId and PPR or PRD)' },
    },
  },
  'import-openapi': {
    summary: "Turn D1's OpenAPI documents (JSON, YAML, or a D1 page holding them) into a rulebook JSON, on top of the built-in rules.",
    operands: 'FILE...',
    flags: {
      out: { type: 'string', value: 'FILE', help: 'where the rulebook JSON goes (default: printed)' },
      label: { type: 'string', value: 'V', help: "the imported rulebook's version label (default: the file names)" },
    },
    details: [
      'A constraint keeps its rule id when the built-in rulebook has the same one (endpoint, field path, kind);',
      'a field the rulebook does not know gets an id derived from it (OUT-OAS-xxxxxx), the same in every version.',
      'Rules no OpenAPI carries (headers from the fact tables, hygiene, behaviour) are kept.',
    ],
  },
  diff: {
    summary: 'What changed between two D1 rulebooks, each change breaking or not for an issuer, and the re-certification scope.',
    operands: 'OLD NEW',
    flags: {
      json: { type: 'boolean', help: 'as JSON (the input of run --rules-from)' },
      md: { type: 'boolean', help: 'as Markdown, for a pull request comment' },
      out: { type: 'string', value: 'FILE', help: 'also write the diff as JSON to FILE' },
      'fail-on-breaking': { type: 'boolean', help: 'exit 1 when a change is breaking for the issuer' },
    },
    details: [
      `OLD and NEW: builtin (the built-in rulebook, or its version), a rulebook JSON (import-openapi --out),`,
      'or D1 OpenAPI files, comma-separated. Under D1\'s change policy, issuers must tolerate new optional fields,',
      'new enum values and new status codes in what D1 sends them (TOLERATE: re-test, not breaking).',
    ],
  },
  bundle: {
    summary: 'Pack a report into one signed .tar.gz for a certifier.',
    flags: {
      key: { type: 'string', value: 'PRIVATE_JWK_FILE', help: 'the signing key (from `d1-conformance keys`; required)' },
      report: { type: 'string', value: 'DIR', help: 'the report folder (default: the newest under reports/)' },
      out: { type: 'string', value: 'FILE', help: 'the bundle to write' },
    },
  },
  verify: {
    summary: "Check a bundle offline: signature and every part's SHA-256. Exit 1 if anything was altered.",
    operands: 'BUNDLE',
    flags: { pub: { type: 'string', value: 'PUBLIC_JWK_FILE', help: "the signer's public key (required)" } },
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMAND_SPECS;

export const EXIT_CODES =
  'Exit codes: 0 success, 1 a finding fails the gate, 2 the tool could not do its job (bad input), 130 interrupted (Ctrl-C; 143 SIGTERM, 129 SIGHUP).';
