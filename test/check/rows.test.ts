import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rowStarts, splitSizes } from '../../src/check/rows.js';

describe('split sizes', () => {
  it.each([
    [784, [1, 1, 1], [262, 261, 261]],
    [784, [1, 1], [392, 392]],
    [10, [1, 1, 1], [4, 3, 3]],
    [11, [1, 1, 1], [4, 4, 3]],
    // 10 * 1/4 = 2.5, 10 * 3/4 = 7.5: equal remainders, the unit goes to the earlier row.
    [10, [1, 3], [3, 7]],
    // 7 * [1,2,4]/7 exactly: nothing left over.
    [7, [1, 2, 4], [1, 2, 4]],
    // 10 * [1,2,4]/7 = 1.43, 2.86, 5.71: the two units go to rows 2 (.86) and 3 (.71).
    [10, [1, 2, 4], [1, 3, 6]],
    [5, [2, 1, 2], [2, 1, 2]],
    [3, [1, 1, 1, 1], [1, 1, 1, 0]],
    [2 ** 31 - 1, [1, 1], [2 ** 30, 2 ** 30 - 1]],
  ])('%i features split %j gives %j', (n, ratios, sizes) => {
    expect(splitSizes(n, ratios)).toEqual(sizes);
  });

  it('rows start where the previous ends', () => {
    expect(rowStarts([262, 261, 261])).toEqual([0, 262, 523]);
  });

  it('always adds up to n, each row within one of its exact share', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }), (n, ratios) => {
      const sizes = splitSizes(n, ratios);
      const total = ratios.reduce((a, b) => a + b, 0);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
      sizes.forEach((s, i) => {
        expect(s).toBeGreaterThanOrEqual(Math.floor((n * ratios[i]) / total));
        expect(s).toBeLessThanOrEqual(Math.floor((n * ratios[i]) / total) + 1);
      });
    }));
  });
});
