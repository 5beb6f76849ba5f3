// Recognising a file that is not text, so that passing weights or an archive where a .spinal
// file belongs is one clear message instead of hundreds of syntax errors.

/** Bytes looked at: a text file has no NUL byte in its first few kilobytes. */
const SNIFF_BYTES = 8192;

const MAGIC: ReadonlyArray<{ readonly bytes: readonly number[]; readonly kind: string }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: 'a zip archive (a PyTorch .pt checkpoint is one)' },
  { bytes: [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], kind: 'a NumPy .npy array' },
  { bytes: [0x1f, 0x8b], kind: 'a gzip archive' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: 'a PNG image' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], kind: 'an executable (ELF)' },
  { bytes: [0x00, 0x61, 0x73, 0x6d], kind: 'a WebAssembly module' },
];

/** A safetensors file: an 8-byte little-endian header length, then a JSON header. */
function isSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getBigUint64(0, true);
  return length >= 2n && length <= BigInt(bytes.length - 8) && bytes[8] === 0x7b; // '{'
}

/** What kind of binary file these bytes are, or undefined for text. */
export function binaryKind(bytes: Uint8Array): string | undefined {
  if (isSafetensors(bytes)) return 'a safetensors weights file';
  const magic = MAGIC.find((m) => m.bytes.every((b, i) => bytes[i] === b));
  if (magic) return magic.kind;
  return bytes.subarray(0, SNIFF_BYTES).includes(0) ? 'a binary file' : undefined;
}
