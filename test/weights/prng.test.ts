import { describe, expect, it } from 'vitest';
import { Random, splitmix64, streamSeed } from '../../src/weights/prng.js';

describe('the seeded generator', () => {
  it('matches the published splitmix64 stream from seed 0', () => {
    const first = splitmix64(0n);
    expect(first.value).toBe(0xe220a8397b1dcdafn);
    expect(splitmix64(first.state).value).toBe(0x6e789e6aa1b965f4n);
  });

  it('matches xoshiro128** worked by hand from the state [1, 2, 3, 4]', () => {
    const random = new Random([1, 2, 3, 4]);
    // rotl(2 * 5, 7) * 9 = 11520; then s1 becomes 2 ^ (3 ^ 1) = 0, whose output is 0.
    expect([random.nextUint32(), random.nextUint32()]).toEqual([11520, 0]);
  });

  it('gives the same values for the same seed and different ones for another', () => {
    const draw = (seed: bigint) => { const r = Random.fromSeed(seed); return Array.from({ length: 8 }, () => r.nextUint32()); };
    expect(draw(7n)).toEqual(draw(7n));
    expect(draw(7n)).not.toEqual(draw(8n));
    expect(draw(7n).every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
  });

  it('draws uniform float32 values in [low, high)', () => {
    const r = Random.fromSeed(1n);
    const values = Array.from({ length: 10_000 }, () => r.uniform(-0.5, 0.5));
    expect(values.every((v) => v >= -0.5 && v <= 0.5 && Math.fround(v) === v)).toBe(true);
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
  });

  it('gives each named stream its own seed', () => {
    expect(streamSeed(1n, 'output.weight')).not.toBe(streamSeed(1n, 'output.bias'));
    expect(streamSeed(1n, 'output.weight')).not.toBe(streamSeed(2n, 'output.weight'));
    expect(streamSeed(1n, 'output.weight')).toBe(streamSeed(1n, 'output.weight'));
  });
});
