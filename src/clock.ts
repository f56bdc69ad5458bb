/** Time source for everything that expires (signatures, tokens, signed URLs), so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at the system time and only moves when told to (tests, and the emulator's virtual clock). */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  /** How far the clock is ahead of the system time. */
  offset(): number {
    return this.offsetMs;
  }
  /** Back to the system time. */
  resetOffset(): void {
    this.offsetMs = 0;
  }
}
