/** Where a command writes: `out` for results (stdout), `err` for progress and problems (stderr). One line per call. */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** When the process started (epoch ms): --max-time counts from here, start-up included. Default: now. */
  readonly startedAt?: number;
}
