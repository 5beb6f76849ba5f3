// How far a target's float32 numbers are from the float64 reference.
//
// Relative error of one value: |got - want| / max(|want|, floor), floor = 0.1 * max |want| over
// the whole batch. Dividing by |want| alone would make a value that happens to be near zero
// (a cancellation, a dead unit) look hopelessly wrong: a float32 dot product of n terms is off
// by about eps * sqrt(n) * the size of its terms, which follows the scale of the layer, not the
// value that comes out. The floor measures small values against a tenth of that scale, over
// the finite values. NaN where the reference has NaN, and an infinity where it has the same
// one, are exact (the rule every target follows, docs/hardening.md); any other NaN or infinity,
// on either side, is an error of Infinity. The tolerance is on the maximum relative error: 1e-4
// by default, a few hundred float32 roundings: the samples on tfjs cpu and wasm stay below 1e-5,
// while a wrong weight or fold is off by 1e-2 or more.
export const DEFAULT_TOLERANCE = 1e-4;
const FLOOR_FRACTION = 0.1;

export interface ErrorStats {
  readonly maxAbsError: number;
  readonly maxRelError: number;
}

export function compareOutputs(got: ArrayLike<number>, want: ArrayLike<number>): ErrorStats {
  if (got.length !== want.length) throw new Error(`the target returned ${got.length} values, expected ${want.length}`);
  let scale = 0;
  for (let i = 0; i < want.length; i++) if (Number.isFinite(want[i])) scale = Math.max(scale, Math.abs(want[i]));
  const floor = Math.max(FLOOR_FRACTION * scale, Number.MIN_VALUE);
  let maxAbsError = 0;
  let maxRelError = 0;
  for (let i = 0; i < want.length; i++) {
    // NaN matches NaN and an infinity the same infinity; anything else against them is off by Infinity.
    const same = got[i] === want[i] || (Number.isNaN(got[i]) && Number.isNaN(want[i]));
    const diff = Math.abs(got[i] - want[i]);
    const abs = same ? 0 : Number.isNaN(diff) || !Number.isFinite(want[i]) ? Infinity : diff;
    maxAbsError = Math.max(maxAbsError, abs);
    maxRelError = Math.max(maxRelError, abs === 0 ? 0 : abs / Math.max(Number.isFinite(want[i]) ? Math.abs(want[i]) : 0, floor));
  }
  return { maxAbsError, maxRelError };
}
