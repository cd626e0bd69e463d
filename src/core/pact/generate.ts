import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { PACTS, type InteractionSpec, type PactSpec } from './interactions.js';
import { pactFileName } from './files.js';
import { addInteraction, exercise, type Answer } from './pact-builder.js';

/**
 * Writes the pact files from the rulebook: every interaction is played once against the real
 * Pact FFI mock server on 127.0.0.1 by a small undici client (so the file only holds
 * interactions a consumer actually exercised), and PactV4 writes the file.
 */

export interface Exercised {
  readonly pact: PactSpec;
  readonly interaction: InteractionSpec;
  readonly answer: Answer;
}

/**
 * Pact FFI 0.5.4 records a match on an event loop of its own: under CPU load, executeTest can
 * read "expected but not received" for a request it did answer (pact-reference#535, fixed
 * upstream by recording matches synchronously). Hence a short settle after the request, and a
 * retry when exactly that happened: the answer was the expected one, yet the match went unseen.
 */
export const SETTLE_MS = 25;
const ATTEMPTS = 3;

async function play(v4: PactV4, interaction: InteractionSpec): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    let answer: Answer | undefined;
    try {
      await addInteraction(v4, interaction).executeTest(async (mock) => {
        answer = await exercise(interaction, mock.url);
        await new Promise((r) => setTimeout(r, SETTLE_MS));
      });
      if (!answer) throw new Error(`${interaction.description}: no answer`);
      return answer;
    } catch (e) {
      const unseen = e instanceof Error && e.message.includes('expected but not received') && answer?.status === interaction.response.status;
      if (!unseen || attempt >= ATTEMPTS) throw e;
    }
  }
}

export async function generatePacts(outDir: string): Promise<{ files: string[]; exercised: Exercised[] }> {
  // PactV4 merges into an existing file: write into a fresh directory, then copy.
  const scratch = await mkdtemp(join(tmpdir(), 'd1c-pacts-'));
  const exercised: Exercised[] = [];
  try {
    for (const pact of PACTS) {
      const v4 = new PactV4({ consumer: pact.consumer, provider: pact.provider, dir: scratch, logLevel: 'error' });
      for (const interaction of pact.interactions) exercised.push({ pact, interaction, answer: await play(v4, interaction) });
    }
    await mkdir(outDir, { recursive: true });
    const files: string[] = [];
    const written = new Set(await readdir(scratch));
    for (const pact of PACTS) {
      const name = pactFileName(pact);
      if (!written.has(name)) throw new Error(`PactV4 wrote no ${name}`);
      await copyFile(join(scratch, name), join(outDir, name));
      files.push(join(outDir, name));
    }
    return { files, exercised };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
