// The hash that identifies a dataset's numbers: SHA-256 over a short canonical header, then the
// features as float32 and the labels (int32 class indices, or float32 targets), little-endian.
// Only the numbers count, so the same samples hash the same from .npy, CSV or safetensors,
// on any machine. Data for a model with several inputs also name each input and its size in the
// header (`inputs pixels 784, conv1 1440`), so the same numbers split otherwise hash otherwise; a
// single input adds nothing, whatever its name, so single-input hashes stay as they were.
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';

export function datasetHash(n: number, features: number, x: Float32Array, y: Int32Array | Float32Array, inputs: readonly { name: string; size: number }[] = []): string {
  const task = y instanceof Int32Array ? 'classification' : `regression ${n === 0 ? 0 : y.length / n}`;
  const layout = inputs.length > 1 ? `inputs ${inputs.map((i) => `${i.name} ${i.size}`).join(', ')}\n` : '';
  const hash = createHash('sha256');
  hash.update(`spinal dataset 1\nsamples ${n}\nfeatures ${features}\ntask ${task}\n${layout}`);
  hash.update(littleEndian(x));
  hash.update(littleEndian(y));
  return hash.digest('hex');
}

/** The array's bytes in little-endian order (a copy only on a big-endian host). */
function littleEndian(array: Float32Array | Int32Array): Uint8Array {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  if (endianness() === 'LE') return bytes;
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 4) {
    swapped[i] = bytes[i + 3];
    swapped[i + 1] = bytes[i + 2];
    swapped[i + 2] = bytes[i + 1];
    swapped[i + 3] = bytes[i];
  }
  return swapped;
}
