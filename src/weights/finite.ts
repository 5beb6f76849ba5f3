// NaN or infinite weights make every output of a model NaN or infinite, far from where the
// problem is. They are refused where weights enter spinal, unless a caller asks otherwise.
import { WeightsError, label } from '../tensor/errors.js';

/** Throws naming the tensor and the index (row-major) of its first NaN or infinite value. */
export function checkFinite(name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) {
      throw new WeightsError(`tensor ${label(name)} holds ${v} at index ${i} (flat, row-major); weights must be finite numbers`);
    }
  }
}
