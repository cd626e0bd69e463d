import type { OutgoingRequest } from './client.js';
import type { Redactor } from '../redact/redactor.js';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A curl command that replays a request, with credentials as shell placeholders
 * ($D1_ACCESS_TOKEN, $D1_BASIC_CREDENTIALS) and the body redacted: safe to paste in a report.
 */
export function toCurl(req: OutgoingRequest, redactor: Redactor): string {
  const parts = ['curl', '-sS', '-i', '-X', req.method, quote(redactor.text(req.url))];
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization') {
      const scheme = value.split(' ')[0]?.toLowerCase();
      parts.push(
        '-H',
        scheme === 'bearer'
          ? '"authorization: Bearer $D1_ACCESS_TOKEN"'
          : scheme === 'basic'
            ? '"authorization: Basic $D1_BASIC_CREDENTIALS"'
            : quote(`${name}: <redacted>`),
      );
    } else parts.push('-H', quote(`${name}: ${redactor.text(value)}`));
  }
  if (req.body !== undefined) parts.push('--data-raw', quote(redactor.text(req.body)));
  return parts.join(' ');
}
