/**
 * How the harness keeps to a target's pace: a request rate it never exceeds (`--rate-limit`), and
 * a 429's Retry-After honoured when waiting fits the run. Neither ever retries anything but a 429.
 */

/** Spaces request starts at least 1/ratePerSecond apart (one shared clock for every caller). */
export class Pacer {
  private next = 0;

  constructor(private readonly ratePerSecond: number | undefined) {}

  /** Whether a rate is set (an unpaced request need not wait a turn of the event loop). */
  get paced(): boolean {
    return this.ratePerSecond !== undefined;
  }

  /** Resolves when the next request may start. */
  async slot(): Promise<void> {
    if (this.ratePerSecond === undefined) return;
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.ratePerSecond;
    if (at > now) await sleep(at - now);
  }
}

/** A 429's Retry-After in ms (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now = Date.now()): number | undefined {
  const raw = headers['retry-after']?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
