// A header whose sizes need more than 32 bits says so (a static_assert on std::size_t): its MACs,
// or the floats of its packed weights, bounded for every SIMD path, the row-major copy of a narrow
// layer included.
import { describe, expect, it } from 'vitest';
import { emitCpp, packedFloatsBound } from '../../../src/backends/cpp/emit.js';
import { optimize } from '../../../src/passes/optimize.js';
import { onlyModel } from '../../support/front.js';

const WIDE = 'this model\'s counts need a 64-bit std::size_t';
const header = (text: string) => emitCpp(optimize(onlyModel(text).graph));

describe('the 64-bit requirement of a header', () => {
  it('bounds a narrow layer by its panels and its row-major copy, a wide one by its panels', () => {
    expect(packedFloatsBound(8, 10)).toBe(16 * 11 + 8 * 10);
    expect(packedFloatsBound(9, 10)).toBe(16 * 11);
    expect(packedFloatsBound(40, 3)).toBe(48 * 4);
  });

  it('is asserted when the narrow layers\' copies pass 2^32 - 1 floats, and not below', () => {
    // 8 units reading 200,000,000 inputs: panels 16 x (n + 1) fit in 32 bits, with the copy 24 n do not.
    const n = 200_000_000;
    expect(16 * (n + 1)).toBeLessThan(2 ** 32);
    expect(header(`model w { input ${n} dense 8 output 2 }`)).toContain(WIDE);
    expect(header('model s { input 100 dense 8 output 2 }')).not.toContain(WIDE);
  });
});
