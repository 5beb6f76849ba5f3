// Reading files that may be anything: a regular file, a pipe, a device that never ends
// (/dev/zero). Every read has a cap, checked against the size before reading where the file
// has one, and against the bytes read so far where it has none, so nothing grows without bound.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants } from 'node:buffer';

/** The largest file spinal reads at once: what one Node buffer holds. */
export const MAX_READ_BYTES = constants.MAX_LENGTH;

/** A file larger than the cap; `bytes` is its size, or undefined for a stream that went past it. */
export class TooLargeError extends Error {
  override readonly name = 'TooLargeError';
  constructor(readonly path: string, readonly limit: number, readonly bytes?: number) {
    super(bytes === undefined ? `'${path}' holds more than ${limit} bytes` : `'${path}' is ${bytes} bytes, more than ${limit}`);
  }
}

const CHUNK = 1 << 20;

/** An open file read front to back, never past `limit` bytes in all. */
export class CappedReader {
  private readonly fd: number;
  private consumed = 0;
  /** The size, for a regular file. */
  readonly size: number | undefined;

  constructor(readonly path: string, readonly limit: number) {
    this.fd = openSync(path, 'r');
    try {
      const st = fstatSync(this.fd);
      if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: '${path}' is a directory`), { code: 'EISDIR' });
      this.size = st.isFile() ? st.size : undefined;
      if (this.size !== undefined && this.size > limit) throw new TooLargeError(path, limit, this.size);
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
  }

  /** Up to `count` more bytes; fewer only at the end of the file. */
  take(count: number): Uint8Array {
    if (this.consumed + count > this.limit) throw new TooLargeError(this.path, this.limit, this.size);
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (total < count) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, count - total));
      const n = readSync(this.fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    this.consumed += total;
    return concat(chunks, total);
  }

  /** Everything up to the end of the file. */
  rest(): Uint8Array {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const want = this.size !== undefined ? Math.max(1, Math.min(CHUNK, this.size - this.consumed - total)) : CHUNK;
      const chunk = Buffer.allocUnsafe(want);
      const n = readSync(this.fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      if (this.consumed + total + n > this.limit) throw new TooLargeError(this.path, this.limit, this.size);
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    this.consumed += total;
    return concat(chunks, total);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The whole file, refused past `limit` bytes whatever the file is. */
export function readCapped(path: string, limit: number): Uint8Array {
  const reader = new CappedReader(path, limit);
  try {
    return reader.rest();
  } finally {
    reader.close();
  }
}

export function concat(chunks: readonly Uint8Array[], total = chunks.reduce((a, c) => a + c.length, 0)): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
