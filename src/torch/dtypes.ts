// The storage types of torch.save, by the class name its pickle gives (`torch.FloatStorage`),
// with their element sizes and the safetensors dtype names spinal uses elsewhere.
export interface StorageDtype {
  /** The safetensors name: F32, F16, ... */
  readonly name: string;
  readonly bytes: number;
}

export const STORAGE_DTYPES: ReadonlyMap<string, StorageDtype> = new Map([
  ['FloatStorage', { name: 'F32', bytes: 4 }],
  ['HalfStorage', { name: 'F16', bytes: 2 }],
  ['BFloat16Storage', { name: 'BF16', bytes: 2 }],
  ['DoubleStorage', { name: 'F64', bytes: 8 }],
  ['LongStorage', { name: 'I64', bytes: 8 }],
  ['IntStorage', { name: 'I32', bytes: 4 }],
  ['ShortStorage', { name: 'I16', bytes: 2 }],
  ['CharStorage', { name: 'I8', bytes: 1 }],
  ['ByteStorage', { name: 'U8', bytes: 1 }],
  ['BoolStorage', { name: 'BOOL', bytes: 1 }],
]);
