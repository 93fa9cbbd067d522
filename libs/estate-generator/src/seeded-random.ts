import * as prand from 'pure-rand';

/**
 * A small facade over pure-rand so the estate reads as intent ("chance",
 * "pick") rather than as distribution calls. One instance per subject, so a
 * subject's history does not depend on how many other subjects were drawn.
 */
export class SeededRandom {
  private readonly generator: prand.RandomGenerator;

  constructor(seed: number) {
    this.generator = prand.xoroshiro128plus(seed | 0);
  }

  /** Seeds derived from (estate seed, subject index) with a 32-bit avalanche mix, so neighbours are unrelated. */
  static forSubject(estateSeed: number, subjectIndex: number): SeededRandom {
    return new SeededRandom(mix32(mix32(estateSeed ^ 0x9e3779b9) ^ subjectIndex));
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return prand.unsafeUniformIntDistribution(min, max, this.generator);
  }

  chance(probability: number): boolean {
    return this.int(0, 999_999) < probability * 1_000_000;
  }

  pick<T>(values: readonly T[]): T {
    return values[this.int(0, values.length - 1)];
  }

  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let ticket = this.int(0, Math.max(0, Math.round(total * 1000) - 1)) / 1000;
    for (const [value, weight] of choices) {
      if (ticket < weight) return value;
      ticket -= weight;
    }
    return choices[choices.length - 1][0];
  }
}

/** murmur3's 32-bit finaliser. */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
