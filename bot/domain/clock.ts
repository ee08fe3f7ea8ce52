/** The source of "now". Injected everywhere so timers and tests are deterministic. */
export interface Clock {
  now(): Date;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to; for tests and simulations. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
}

/**
 * Transport time: how delivery paces and backs off (the platforms' rate
 * limits and Retry-After are real seconds). Injected so tests can run a
 * pacing scenario faster than real time, with the same arithmetic.
 */
export interface TransportClock {
  /** Milliseconds, as Date.now. */
  now(): number;
  /** Runs `fn` after `ms` of this clock's time. */
  after(fn: () => void, ms: number): NodeJS.Timeout;
}

/** Real time. */
export const realTransport: TransportClock = { now: () => Date.now(), after: (fn, ms) => setTimeout(fn, ms) };

/** True when a daily job set for `atUtc` ("HH:MM") is due now and has not run since today's time came round. */
export function dailyDue(now: Date, atUtc: string, lastRun: string | undefined): boolean {
  const [h, m] = atUtc.split(':').map(Number) as [number, number];
  const due = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m));
  return now >= due && !(lastRun && new Date(lastRun) >= due);
}
