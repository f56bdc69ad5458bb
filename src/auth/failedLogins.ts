import type { Clock } from '../clock.js';
import { ApiError } from '../domain/errors.js';

export interface FailedLoginLimits {
  /** Failed authentications of one access key from one address within the window before both are refused. */
  perKeyAndAddress: number;
  /** Failed authentications from one address (any key, or none) within the window before it is refused. */
  perAddress: number;
  windowMs: number;
}

/** Entries kept at most; the oldest go first (an address flood cannot grow the map without bound). */
const MAX_ENTRIES = 100_000;

/**
 * Throttles guessing: once an access key has failed authentication `perKeyAndAddress` times from one
 * address within the window, every attempt with that key from that address is refused with the
 * gateway's 429 until the window has passed; likewise an address after `perAddress` failures with
 * any keys. Refusing the right secret too is what stops guessing (a right guess would otherwise
 * show); a client elsewhere, or with its own key, is not slowed. Counts are per process, in memory.
 */
export function createFailedLoginThrottle(clock: Clock, limits: FailedLoginLimits) {
  /** Failure times (epoch ms) by "k:<key>|<address>" and "a:<address>", oldest first. */
  const failures = new Map<string, number[]>();

  function recent(id: string, now: number): number[] {
    const times = failures.get(id);
    if (!times) return [];
    const kept = times.filter((time) => time > now - limits.windowMs);
    if (kept.length === 0) failures.delete(id);
    else failures.set(id, kept);
    return kept;
  }

  function record(id: string, now: number): void {
    const times = recent(id, now);
    failures.delete(id);
    failures.set(id, [...times.slice(-Math.max(limits.perAddress, limits.perKeyAndAddress)), now]);
    if (failures.size > MAX_ENTRIES) failures.delete(failures.keys().next().value!);
  }

  return {
    /** The gateway's 429 when this key from this address (or the address itself) is being refused. */
    refusal(accessKey: string | undefined, address: string | undefined): ApiError | undefined {
      if (address === undefined) return undefined;
      const now = clock.now().getTime();
      if (recent(`a:${address}`, now).length >= limits.perAddress) {
        return new ApiError('AUTH_THROTTLED', `policy ip over ratelimit,limit:${limits.perAddress}`);
      }
      if (accessKey !== undefined && recent(`k:${accessKey}|${address}`, now).length >= limits.perKeyAndAddress) {
        return new ApiError('AUTH_THROTTLED', `policy user over ratelimit,limit:${limits.perKeyAndAddress}`);
      }
      return undefined;
    },

    recordFailure(accessKey: string | undefined, address: string | undefined): void {
      if (address === undefined) return;
      const now = clock.now().getTime();
      record(`a:${address}`, now);
      if (accessKey !== undefined) record(`k:${accessKey}|${address}`, now);
    },
  };
}

export type FailedLoginThrottle = ReturnType<typeof createFailedLoginThrottle>;
