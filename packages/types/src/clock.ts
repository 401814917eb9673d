/** A source of wall-clock time, injectable so tests need not wait. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
}

/** The system clock (`Date.now`). */
export const systemClock: Clock = { now: () => Date.now() }
