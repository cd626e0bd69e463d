import { fileURLToPath } from 'node:url';
// The Verifier alone: the package's index also loads the consumer DSL, its matchers and ramda
// (about 0.3 s of every verification's start-up).
import { Verifier } from '@pact-foundation/pact/src/dsl/verifier/verifier.js';
import type { Redirect } from './forward.js';
import { verifierOptions, type ChildRequest, type ChildResponse } from './verifier-options.js';

/**
 * Runs the Pact Verifier in a process of its own. The Rust verifier prints its report straight
 * to file descriptor 1, which no logLevel silences; the parent (src/server-side/pact/verify.ts) starts this
 * file with stdout ignored, sends the options over IPC (tokens never travel in argv or the
 * environment) and reads back the verifier's JSON result. Only ever run as that process.
 */

async function run(request: ChildRequest): Promise<ChildResponse> {
  const redirects: Redirect[] = [];
  try {
    return { ok: true, json: await new Verifier(verifierOptions(request, (r) => redirects.push(r))).verifyProvider(), redirects };
  } catch (e) {
    // A failed verification rejects with the same JSON as its message.
    const message = e instanceof Error ? e.message : String(e);
    return message.startsWith('{') ? { ok: true, json: message, redirects } : { ok: false, message };
  }
}

if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  // The parent went away (Ctrl-C): do not linger.
  process.on('disconnect', () => process.exit(1));
  // One verification after another; after one that published to a broker (`keep` false) the
  // process ends, so that its log on stdout is complete for the parent.
  process.on('message', (message: ChildRequest & { keep?: boolean }) => {
    void run(message).then((response) => {
      process.send?.(response, () => {
        if (message.keep !== true) process.exit(0);
      });
    });
  });
  // Pact is loaded and the listener is in place: the parent may send the request.
  process.send({ ready: true });
}
