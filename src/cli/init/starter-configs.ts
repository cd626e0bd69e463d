/**
 * The starter configurations `init` writes, one per direction, as commented YAML. Every value the
 * user must supply is a `<placeholder>`: the loaders refuse a placeholder left in, naming its key,
 * so a starter file never passes for a real one (core/config/placeholders.ts).
 */

export type Direction = 'server' | 'client';

/** Where the package's JSON Schemas sit once installed (editors resolve a relative $schema). */
const SCHEMA_DIR = './node_modules/@d1-conformance/harness/schemas';

export const SCHEMA_FILES = { server: 'config.schema.json', client: 'client-config.schema.json' } as const;

export const DEFAULT_FILES = { server: 'd1-conformance', client: 'd1-client' } as const;

export function schemaRef(direction: Direction): string {
  return `${SCHEMA_DIR}/${SCHEMA_FILES[direction]}`;
}

export const STARTER_YAML: Record<Direction, string> = {
  server: `# yaml-language-server: $schema=${schemaRef('server')}
# d1-conformance, issuer as server: D1 calls your backend; \`run\` plays D1 and judges the answers.
#   d1-conformance run --config d1-conformance.yaml
# Replace every <placeholder>: the run refuses one left in, naming its key.
# \${env:NAME} is read from the environment when the run starts: keep secrets out of this file.

target:
  # Your backend's base URL: D1's calls go to {baseUrl}/banking/d1/v1/issuers/{issuerId}/...
  baseUrl: <https://issuer-backend.test.example:8443>
  # Your issuerId as Thales assigned it (exactly 10 characters).
  issuerId: <ISSUER0001>

auth:
  # How D1 gets a token from you: oauth (client credentials, your token endpoint) or none.
  mode: oauth
  tokenUrl: /authz/d1/v1/oauth2/token
  clientId: \${env:D1_CLIENT_ID}
  clientSecret: \${env:D1_CLIENT_SECRET}

testData:
  # Consumers your test backend knows, with their cards: the known-consumer checks call with these.
  consumers:
    - consumerId: <a consumerId your test backend knows>
      cardIds: []
      # Test PANs of those cards (never printed), for the "cardId is not derived from the PAN" checks.
      pans: []
  # A consumer your backend holds in an invalid state (Get Consumer Information answers 403); optional.
  # invalidStateConsumerId: <consumerId>

# Endpoints in scope (d1-conformance rules --json lists them); empty: all.
profiles: []

# What the D1 spec leaves open, and this run's choice (d1-conformance policies lists them all).
policies: {}

# Replays a run: any whole number. Leave it out for a fresh one each run (the report prints it).
# seed: 42

limits:
  # Tests of a suite run at once; raise it for a slow target.
  concurrency: 1

# Mutual TLS, as D1 connects: D1's client identity (PEM, or pfx + passphrase) and the CA that
# trusts your server certificate. Without it the mTLS rules (OUT-GEN-001, OUT-TLS-*) go untested.
# tls:
#   clientCert: keys/d1-client.pem
#   clientKey: keys/d1-client.key.pem
#   ca: keys/issuer-ca.pem
`,
  client: `# yaml-language-server: $schema=${schemaRef('client')}
# d1-conformance, issuer as client: your backend calls D1; \`client-check\` plays D1 (the simulator)
# and judges every call your integration tests make.
#   d1-conformance client-check --config d1-client.yaml -- npm run test:d1-integration
# Replace every <placeholder>: the check refuses one left in, naming its key.

# Your issuerId as Thales assigned it (exactly 10 characters).
issuerId: <ISSUER0001>

# The public halves of the ES256 keys your backend signs its token assertions with, as registered
# with D1 at onboarding. \`init\` generated one in keys/ (git-ignored): your tests sign with
# keys/d1-issuer-assertion.private.jwk.json. A path is read from this file's folder.
issuerKeys:
  - publicKey: keys/d1-issuer-assertion.public.jwk.json

# Card products your tests register cards under.
cardProducts: [prod-classic-01]

# D1 APIs in scope; empty: all.
profiles: []

# D1's documented faults and compatible changes (unknown fields, new enum values): true to inject them.
faults: false

# How long your test command may run, in seconds.
timeoutSeconds: 600

# Mutual TLS as D1 requires it (IN-TLS-*): true makes a client key and certificate for your
# command; or have the simulated Thales CA sign your CSR (d1-conformance keys --csr --out keys).
# tls:
#   csr: keys/d1-tls-client.csr.pem
#   clientKey: keys/d1-tls-client.key.pem
`,
};

/** The keys folder's own .gitignore: nothing in it is ever committed but this file. */
export const KEYS_GITIGNORE = '# d1-conformance keys: private material, never committed.\n*\n!.gitignore\n';
