// File-system failures as one line a person can act on: the errno code in words, and where a
// path is blocked, the part of it that blocks.
import { lstatSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is too large for the file system',
  ENAMETOOLONG: 'a name in the path is too long for the file system',
  ELOOP: 'too many symbolic links in the path',
  EISDIR: 'it is a folder',
  EXDEV: 'it would cross file systems',
  EBUSY: 'it is in use (a mount point?)',
  EIO: 'an input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ENOTEMPTY: 'the folder is not empty',
  EEXIST: 'it exists already',
};

/** The errno code of a Node file-system error, if it is one. */
export function errnoCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/**
 * Why an operation on `path` failed, in words. A path with a file where a folder should be
 * (ENOTDIR) names that file.
 */
export function fsProblem(e: unknown, path?: string): string {
  const code = errnoCode(e);
  if (code === 'ENOTDIR' && path !== undefined) {
    const blocker = fileInPath(path);
    if (blocker !== undefined) return `'${blocker}' is a file, not a folder`;
  }
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  if (code !== undefined && WORDS[code]) return WORDS[code];
  return ((e as Error | undefined)?.message ?? String(e)).split('\n')[0];
}

/** The first part of `path` that exists and is not a folder (nor a link to one). */
function fileInPath(path: string): string | undefined {
  const chain: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    chain.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const at of chain.slice(0, -1)) {
    const st = lstatSync(at, { throwIfNoEntry: false });
    if (!st) return undefined;
    if (!st.isDirectory() && !st.isSymbolicLink()) return at;
  }
  return undefined;
}
