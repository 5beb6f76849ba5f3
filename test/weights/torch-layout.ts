// Writes canonical weights the way the paper's official PyTorch code names them, as
// safetensors.torch.save_file would: nn.Sequential indices, num_batches_tracked as I64.
import { encodeSafetensors, type RawTensor } from '../../src/weights/safetensors.js';
import type { Weights } from '../../src/tensor/tensor.js';

export interface OfficialLayout {
  /** A Dropout precedes each Linear in its Sequential, which moves the Linear to index 1. */
  readonly dropout: boolean;
  readonly prefix?: string;
  readonly dtype?: 'F32' | 'F64' | 'F16' | 'BF16';
  /** More tensors to put in the file as they are. */
  readonly extra?: readonly RawTensor[];
}

export function officialName(canonical: string, layout: OfficialLayout): string {
  const linear = layout.dropout ? 1 : 0;
  const prefix = layout.prefix ?? '';
  const sub = /^spinal1\.sub(\d+)\.(bn\.)?(\w+)$/.exec(canonical);
  if (sub) return `${prefix}fc_spinal_layer${sub[1]}.${sub[2] ? linear + 1 : linear}.${sub[3]}`;
  const out = /^output\.(weight|bias)$/.exec(canonical);
  if (out) return `${prefix}fc_out.${linear}.${out[1]}`;
  throw new Error(`no official name for ${canonical}`);
}

export function officialStateDict(weights: Weights, layout: OfficialLayout): Uint8Array {
  const tensors: RawTensor[] = [...layout.extra ?? []];
  for (const [name, t] of weights) {
    tensors.push({ name: officialName(name, layout), dtype: layout.dtype ?? 'F32', shape: t.shape, bytes: encode(t.data, layout.dtype ?? 'F32') });
    if (name.endsWith('.bn.running_var')) {
      const count = new Uint8Array(8);
      new DataView(count.buffer).setBigInt64(0, 938n, true);
      tensors.push({ name: officialName(name, layout).replace(/running_var$/, 'num_batches_tracked'), dtype: 'I64', shape: [], bytes: count });
    }
  }
  return encodeSafetensors(tensors, { format: 'pt' });
}

function encode(data: ArrayLike<number>, dtype: string): Uint8Array {
  const size = dtype === 'F64' ? 8 : dtype === 'F32' ? 4 : 2;
  const bytes = new Uint8Array(data.length * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) {
    if (dtype === 'F64') view.setFloat64(8 * i, data[i], true);
    else if (dtype === 'F32') view.setFloat32(4 * i, data[i], true);
    else if (dtype === 'BF16') view.setUint16(2 * i, bfloat16Bits(data[i]), true);
    else view.setUint16(2 * i, halfBits(data[i]), true);
  }
  return bytes;
}

/** Truncating bfloat16: the top half of the float32. */
function bfloat16Bits(v: number): number {
  const scratch = new DataView(new ArrayBuffer(4));
  scratch.setFloat32(0, v);
  return scratch.getUint16(0);
}

/** Half bits of a value the test chose to be exact in half precision (normal or zero). */
export function halfBits(v: number): number {
  if (v === 0) return Object.is(v, -0) ? 0x8000 : 0;
  const sign = v < 0 ? 0x8000 : 0;
  const exponent = Math.floor(Math.log2(Math.abs(v)));
  const fraction = (Math.abs(v) / 2 ** exponent - 1) * 1024;
  if (!Number.isInteger(fraction) || exponent < -14 || exponent > 15) throw new Error(`${v} is not exact in half precision`);
  return sign | ((exponent + 15) << 10) | fraction;
}
