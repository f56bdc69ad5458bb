/** The seeded random numbers of the bench's data (bench/seed.ts, bench/seedAssets.ts). */

/** A small seeded generator (mulberry32): the same data on every machine. */
export function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const integer = (below: number): number => Math.floor(next() * below);
  const word = (): string => Math.floor(next() * 4294967296).toString(16).padStart(8, '0');
  const pick = (weights: Array<[string, number]>): string => {
    let roll = integer(weights.reduce((sum, [, weight]) => sum + weight, 0));
    for (const [value, weight] of weights) {
      if (roll < weight) return value;
      roll -= weight;
    }
    return weights[0]![0];
  };
  return { next, integer, pick, hexId: (): string => word() + word() + word() + word() };
}
