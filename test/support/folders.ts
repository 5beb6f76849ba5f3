// Folder snapshots and file-system errors, for tests of what spinal writes.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Every file and link under dir with its bytes (or target), for byte-for-byte comparisons. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const key = path.slice(dir.length + 1);
    if (entry.isFile()) out[key] = readFileSync(path, 'base64');
    else if (entry.isSymbolicLink()) out[key] = `-> ${readlinkSync(path)}`;
    else if (entry.isDirectory()) out[`${key}/`] = '';
  }
  return out;
}

/** An error as Node's file-system calls throw it, with its errno code. */
export function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}
