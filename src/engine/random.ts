/**
 * A seeded pseudo-random generator (mulberry32), so that weight initialisation and a whole training run
 * are reproducible bit for bit: the same seed gives the same numbers on every machine.
 */
/**
 * Captured when the module loads: the sandbox runtime bundles this file and loads it before the snippet
 * runs, and a snippet may replace `Math.imul` later (`MLP`'s weights must not change with it).
 */
const imul = Math.imul;

export class Random {
  private state: number;

  constructor(seed = 1337) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A float in [low, high), as Python's `random.uniform`. */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }
}
