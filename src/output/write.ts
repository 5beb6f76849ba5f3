// Writing a set of files into an output folder, all or nothing.
//
// Everything is first written into a staging folder next to DIR (same file system, so renames
// are atomic). A new DIR is then one rename of the staging folder. An existing DIR gets each
// file renamed into place, the file it replaces moved aside into the staging folder first; if
// any rename fails, every step taken is undone in reverse, so DIR is left byte for byte as it
// was. The manifest (manifest.ts) is updated the same way, as one more file.
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EmittedFile } from '../backends/backend.js';
import { MANIFEST_NAME, manifestText } from './manifest.js';
import { OutputError, planOutput, type OutputPlan } from './plan.js';

export { OutputError };

/** The file-system calls that write and move things into place; tests replace them to fail on cue. */
export interface FileOps {
  rename(from: string, to: string): void;
  writeFile(path: string, contents: string | Uint8Array): void;
}

export interface WriteOutputOptions {
  /** Overwrite files spinal did not write (or that were edited since). */
  readonly force?: boolean;
  readonly ops?: Partial<FileOps>;
}

export interface WriteOutputResult {
  readonly dir: string;
  /** Paths written, relative to dir (the manifest not included). */
  readonly written: readonly string[];
}

const NODE_OPS: FileOps = { rename: renameSync, writeFile: (path, contents) => writeFileSync(path, contents) };

export function writeOutput(dir: string, files: readonly EmittedFile[], options: WriteOutputOptions = {}): WriteOutputResult {
  const plan = planOutput(dir, files, options.force ?? false);
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(dir)}.spinal-${randomBytes(6).toString('hex')}.tmp`);
  const ops: FileOps = { ...NODE_OPS, ...options.ops };
  try {
    stage(staging, plan, ops);
    commit(staging, plan, ops);
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(`cannot write into '${dir}': ${(e as Error).message}; the folder was left as it was`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { dir, written: files.map((f) => f.path) };
}

function stage(staging: string, plan: OutputPlan, ops: FileOps): void {
  mkdirSync(staging);
  for (const file of plan.files) {
    mkdirSync(dirname(join(staging, file.path)), { recursive: true });
    ops.writeFile(join(staging, file.path), file.contents);
  }
  ops.writeFile(join(staging, MANIFEST_NAME), manifestText(plan.manifest));
}

function commit(staging: string, plan: OutputPlan, ops: FileOps): void {
  if (!plan.dirExists) {
    ops.rename(staging, plan.dir);
    return;
  }
  const backup = join(staging, '.replaced');
  const undo: (() => void)[] = [];
  try {
    for (const path of [...plan.files.map((f) => f.path), MANIFEST_NAME]) {
      const target = join(plan.dir, path);
      if (existsSync(target)) {
        const aside = join(backup, path);
        mkdirSync(dirname(aside), { recursive: true });
        ops.rename(target, aside);
        undo.push(() => ops.rename(aside, target));
      } else {
        for (const made of missingFolders(plan.dir, path)) {
          mkdirSync(made);
          undo.push(() => rmSync(made, { recursive: true, force: true }));
        }
      }
      ops.rename(join(staging, path), target);
      undo.push(() => ops.rename(target, join(staging, path)));
    }
  } catch (e) {
    for (const step of undo.reverse()) step();
    throw e;
  }
}

/** The folders between dir and path's parent that do not exist yet, outermost first. */
function missingFolders(dir: string, path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  const missing: string[] = [];
  let at = dir;
  for (const part of parts) {
    at = join(at, part);
    if (!existsSync(at)) missing.push(at);
  }
  return missing;
}
