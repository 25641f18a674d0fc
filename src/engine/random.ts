/**
 * A seeded pseudo-random generator (mulberry32), so that weight initialisation and a whole training run
 * are reproducible bit for bit: the same seed gives the same numbers on every machine.
 */
export class Random {
  private state: number;

  constructor(seed = 1337) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A float in [low, high), as Python's `random.uniform`. */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }
}
