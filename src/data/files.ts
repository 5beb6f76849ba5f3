// Reading a data file whole, after checking what it is. A FIFO or a device would block or never
// end, so only regular files are read; the file is opened without blocking and checked through
// its descriptor, so what is checked is what is read.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { DataError, quote } from './errors.js';

/** The largest file read (4 GiB): a Node buffer holds at most this much. */
export const MAX_DATA_FILE_BYTES = 2 ** 32;

export function readDataFile(path: string, limit: number = MAX_DATA_FILE_BYTES): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new DataError(`cannot read ${quote(path)}: ${describe(e)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new DataError(`cannot read ${quote(path)}: it is a directory, not a data file`);
    if (!stat.isFile()) throw new DataError(`cannot read ${quote(path)}: it is not a regular file (a pipe, socket or device)`);
    if (stat.size > limit) {
      throw new DataError(`cannot read ${quote(path)}: it is ${stat.size} bytes, more than the limit of ${limit} bytes${formatBytes(limit)}`);
    }
    const bytes = new Uint8Array(stat.size);
    let at = 0;
    while (at < bytes.length) {
      const got = readSync(fd, bytes, at, Math.min(bytes.length - at, 1 << 30), at);
      if (got === 0) throw new DataError(`cannot read ${quote(path)}: it became shorter while being read`);
      at += got;
    }
    return bytes;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read ${quote(path)}: ${describe(e)}`);
  } finally {
    closeSync(fd);
  }
}

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a data file';
  return (e as Error).message;
}

function formatBytes(n: number): string {
  return n >= 2 ** 30 ? ` (${+(n / 2 ** 30).toFixed(2)} GiB)` : '';
}
