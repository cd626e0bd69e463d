import type { IncomingMessage } from 'node:http';

/** Reading a request body on our own servers (reference issuer, D1 simulator): capped, strict UTF-8. */

export type BodyResult = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false };

/**
 * Reads the body up to `limit` bytes. Past the limit the rest is drained and dropped (not
 * destroyed), so the client still receives the 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve({ ok: false });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        chunks.length = 0;
        resolve({ ok: false });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve({ ok: true, bytes: Buffer.concat(chunks) });
    });
    const abort = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    req.on('error', abort);
    req.on('close', () => {
      abort(new Error('request closed before its body was read'));
    });
  });
}

export function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
