// Deciding what writing a set of files into a folder would do, before touching anything:
// which paths are valid, which files exist, and which of those spinal may overwrite.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type { EmittedFile } from '../backends/backend.js';
import { MANIFEST_NAME, hashBytes, readManifest, type Manifest } from './manifest.js';
import { option } from '../diagnostics/option.js';

export class OutputError extends Error {
  override readonly name = 'OutputError';
}

export interface OutputPlan {
  readonly dir: string;
  readonly dirExists: boolean;
  readonly files: readonly EmittedFile[];
  readonly manifest: Manifest;
}

export function planOutput(dir: string, files: readonly EmittedFile[], force: boolean): OutputPlan {
  checkPaths(files);
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (dirStat && !dirStat.isDirectory()) throw new OutputError(`'${dir}' exists and is not a folder`);
  const old = dirStat ? readManifest(dir) : { files: {} };
  if (dirStat) checkCaseClashes(dir, files);
  const foreign: string[] = [];
  for (const file of files) {
    const target = join(dir, file.path);
    const st = statSync(target, { throwIfNoEntry: false });
    if (!st) continue;
    if (!st.isFile()) throw new OutputError(`'${target}' exists and is not a file; remove it first`);
    const recorded = old.files[file.path];
    if (!force && (recorded === undefined || recorded !== hashBytes(readFileSync(target)))) foreign.push(file.path);
  }
  if (foreign.length > 0) {
    const list = foreign.map((p) => `  ${join(dir, p)}`).join('\n');
    throw new OutputError(
      `refusing to overwrite ${foreign.length === 1 ? 'a file' : `${foreign.length} files`} that spinal did not write (or that changed since):\n${list}\n` +
      `move them away, choose another ${option('dir')}, or pass ${option('force')} to overwrite them`,
    );
  }
  const recorded = Object.fromEntries(Object.entries(old.files).filter(([path]) => existsSync(join(dir, path))));
  for (const file of files) recorded[file.path] = hashBytes(file.contents);
  return { dir, dirExists: dirStat !== undefined, files, manifest: { files: recorded } };
}

/**
 * A file whose name differs from one already in the folder only in case (`Net.ts`, `net.ts`): on
 * a case-insensitive file system (macOS, Windows) writing it would overwrite the other, so it
 * is refused everywhere, --force or not, for the folder to mean the same on every machine.
 */
function checkCaseClashes(dir: string, files: readonly EmittedFile[]): void {
  for (const { path } of files) {
    const folder = join(dir, dirname(path));
    const name = basename(path);
    const entries = statSync(folder, { throwIfNoEntry: false })?.isDirectory() ? readdirSync(folder) : [];
    const clash = entries.find((e) => e !== name && e.toLowerCase() === name.toLowerCase());
    if (clash !== undefined) {
      throw new OutputError(
        `'${join(dir, path)}' differs from '${join(folder, clash)}' only in case; on a case-insensitive file system one would overwrite the other:\n` +
        'build into another folder, or rename the model',
      );
    }
  }
}

/** The longest file name ext4, XFS, Btrfs, APFS and NTFS take, in bytes of UTF-8 (NTFS: 255 UTF-16 units). */
export const MAX_NAME_BYTES = 255;

export function checkPaths(files: readonly EmittedFile[]): void {
  const seen = new Set<string>();
  for (const { path } of files) {
    for (const part of path.split('/')) {
      const bytes = Buffer.byteLength(part);
      if (bytes > MAX_NAME_BYTES) {
        throw new OutputError(`the file name '${part.slice(0, 40)}...' is ${bytes} bytes long, more than the ${MAX_NAME_BYTES} file systems allow: give the model a shorter name`);
      }
    }
    const clean = normalize(path);
    if (path === '' || isAbsolute(path) || clean !== path || clean.split(sep).includes('..') || path.includes('\\')) {
      throw new Error(`output path '${path}' must be relative, normalized and inside the folder`);
    }
    if (path === MANIFEST_NAME) throw new Error(`output path '${path}' is reserved for the manifest`);
    if (seen.has(path.toLowerCase())) throw new Error(`output path '${path}' is emitted twice (letter case aside)`);
    seen.add(path.toLowerCase());
  }
}
