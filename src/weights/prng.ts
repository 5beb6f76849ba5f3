// A seeded pseudo-random generator whose stream is the same on every machine and engine:
// xoshiro128** (32-bit integer math only), seeded through splitmix64 (BigInt, a few calls).

const MASK64 = (1n << 64n) - 1n;

/** One step of splitmix64: the next state and its output. */
export function splitmix64(state: bigint): { state: bigint; value: bigint } {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return { state: next, value: z ^ (z >> 31n) };
}

/** A 64-bit seed for one named stream: FNV-1a of the name's UTF-8 bytes, mixed with the seed. */
export function streamSeed(seed: bigint, name: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(name)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & MASK64;
  return splitmix64((seed ^ hash) & MASK64).value;
}

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed` is taken modulo 2^64. */
  static fromSeed(seed: bigint): Random {
    const a = splitmix64(BigInt.asUintN(64, seed));
    const b = splitmix64(a.state);
    return new Random([
      Number(a.value & 0xffffffffn), Number(a.value >> 32n),
      Number(b.value & 0xffffffffn), Number(b.value >> 32n),
    ]);
  }

  constructor(state: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w | 0);
    // The all-zero state is the one xoshiro cannot leave.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 24 random bits, so every value is exact in float32. */
  nextUnit(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Uniform in [low, high), rounded to float32. */
  uniform(low: number, high: number): number {
    return Math.fround(low + (high - low) * this.nextUnit());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
