/** Time source for everything that expires (signatures, tokens, signed URLs), so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at the system time and only moves when told to (tests, and the emulator's virtual clock). */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  /** When paused, the system time the clock stopped at: it then moves only by `advance`. */
  private pausedAt: number | undefined;
  now(): Date {
    return new Date((this.pausedAt ?? Date.now()) + this.offsetMs);
  }
  /** Stops the clock (tests that measure durations in virtual time): only `advance` moves it then. */
  pause(): void {
    this.pausedAt ??= Date.now();
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  /** How far the clock is ahead of the system time. */
  offset(): number {
    return this.pausedAt === undefined ? this.offsetMs : this.offsetMs + this.pausedAt - Date.now();
  }
  /** Back to the system time. */
  resetOffset(): void {
    this.offsetMs = 0;
  }
}
