// A state_dict saved with `safetensors.torch.save_file` from the paper's official code, to
// canonical weights. F32 tensors are taken as they are; F64, F16 and BF16 ones are converted to
// float32 (exactly for F16 and BF16, rounded for F64); any other dtype in a mapped tensor is
// refused. Unmapped tensors (a CNN backbone, say) are listed, never decoded.
import { FLOAT_DTYPES, toFloat32 } from './dtype.js';
import { checkFinite } from './finite.js';
import { parseLayout } from './safetensors-layout.js';
import type { Tensor, Weights } from './tensor.js';
import { mapTorchNames, type TorchNameMap } from './torch-names.js';

export interface TorchImportOptions {
  /** The prefix of the head's names (`fc.`, `classifier.`); detected when not given. */
  readonly prefix?: string;
  /** Accept NaN and infinite values. */
  readonly allowNonFinite?: boolean;
}

export interface TorchImport extends TorchNameMap {
  /** Canonical names, float32 data. Not yet checked against a model: see checkWeights. */
  readonly weights: Weights;
  /** Source tensors converted from another float dtype, with that dtype. */
  readonly converted: ReadonlyMap<string, string>;
}

export function importTorchWeights(bytes: Uint8Array, options: TorchImportOptions = {}): TorchImport {
  const layout = parseLayout(bytes);
  const names = mapTorchNames(layout.entries.map((e) => ({ name: e.name, rank: e.shape.length })), options.prefix);
  const weights = new Map<string, Tensor>();
  const converted = new Map<string, string>();
  for (const entry of layout.entries) {
    const canonical = names.mapping.get(entry.name);
    if (canonical === undefined) continue;
    const data = toFloat32(entry.name, entry.dtype, bytes.subarray(entry.begin, entry.end));
    if (!options.allowNonFinite) checkFinite(entry.name, data);
    if (entry.dtype !== 'F32' && FLOAT_DTYPES.has(entry.dtype)) converted.set(entry.name, entry.dtype);
    weights.set(canonical, { shape: entry.shape, data });
  }
  return { ...names, weights, converted };
}
