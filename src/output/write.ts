// Writing a set of files into an output folder DIR, all or nothing, even if the process is
// killed at any moment.
//
// Under a lock beside DIR (lock.ts), the new folder is made whole in a sibling staging folder
// `.DIR.spinal-new`: the files spinal emits, the manifest (manifest.ts), and everything else
// DIR holds, carried over as hard links (copies where the file system has none). The commit is
// then two renames: DIR to `.DIR.spinal-old`, the staging folder to DIR; then the old folder is
// removed. A reader finds DIR either as it was or as the new build, never a mix; for the instant
// between the two renames DIR is missing. A run killed anywhere leaves at most these siblings,
// and the next run puts things right before it starts (recover.ts): a staging folder with no
// old folder beside it was never committed and is removed; an old folder with no DIR means the
// commit was cut between its renames, and the complete staging folder is renamed into place.
import { chmodSync, chownSync, closeSync, copyFileSync, constants, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { createHash } from 'node:crypto';
import type { EmittedFile } from '../backends/backend.js';
import { MANIFEST_NAME, manifestText } from './manifest.js';
import { OutputError, checkPaths, planOutput, type OutputPlan } from './plan.js';
import { acquireLock, LockBusyError, type LockOptions } from './lock.js';
import { errnoCode, fsProblem } from '../fs/problem.js';

export { OutputError };

/** Every call that changes the file system; tests replace them to fail (or stop) on cue. */
export interface FileOps {
  rename(from: string, to: string): void;
  writeFile(path: string, contents: string | Uint8Array): void;
  /** Makes a folder and any missing parents. */
  mkdir(path: string): void;
  /** Puts a copy of the regular file `from` at `to`: a hard link, or a copy. */
  carry(from: string, to: string): void;
  symlink(target: string, path: string): void;
  /** Removes a file or a folder with everything in it. */
  remove(path: string): void;
}

export interface WriteOutputOptions {
  /** Overwrite files spinal did not write (or that were edited since). */
  readonly force?: boolean;
  readonly ops?: Partial<FileOps>;
  readonly lock?: LockOptions;
}

export interface WriteOutputResult {
  readonly dir: string;
  /** Paths written, relative to dir (the manifest not included). */
  readonly written: readonly string[];
  /** What was done about a build of DIR that had been interrupted, if one was found. */
  readonly recovered?: string;
}

export const NODE_OPS: FileOps = {
  rename: renameSync,
  writeFile: writeDurably,
  mkdir: (path) => mkdirSync(path, { recursive: true }),
  carry: (from, to) => {
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to, constants.COPYFILE_EXCL);
    }
  },
  symlink: (target, path) => symlinkSync(target, path),
  remove: (path) => rmSync(path, { recursive: true, force: true }),
};

/** The folders and the lock beside DIR that a build uses. */
export interface Siblings {
  readonly staging: string;
  readonly old: string;
  readonly lock: string;
}

/** Sibling names stay short enough for any file system, whatever DIR is called. */
const MAX_SIBLING_BYTES = 200;

export function siblingsOf(target: string): Siblings {
  const parent = dirname(target);
  const base = basename(target);
  const name = (kind: string) => {
    const plain = `.${base}.spinal-${kind}`;
    if (Buffer.byteLength(plain) <= MAX_SIBLING_BYTES) return join(parent, plain);
    return join(parent, `.${createHash('sha256').update(base).digest('hex').slice(0, 16)}.spinal-${kind}`);
  };
  return { staging: name('new'), old: name('old'), lock: name('lock') };
}

export function writeOutput(dir: string, files: readonly EmittedFile[], options: WriteOutputOptions = {}): WriteOutputResult {
  checkPaths(files);
  const ops: FileOps = { ...NODE_OPS, ...options.ops };
  const target = resolve(dir);
  const fail = (e: unknown, path = target): never => {
    if (e instanceof OutputError || errnoCode(e) === undefined) throw e;
    throw new OutputError(`cannot write into '${dir}': ${fsProblem(e, path)}; the folder was left as it was`);
  };
  if (dirname(target) === target) throw new OutputError(`'${dir}' is the root folder; build into a folder of its own`);
  const siblings = siblingsOf(target);
  let lock;
  try {
    checkFolder(dir, target);
    ensureParent(dirname(target), ops);
    lock = acquireLock(siblings.lock, options.lock);
  } catch (e) {
    if (e instanceof LockBusyError) {
      const who = e.holder ? `process ${e.holder.pid}${e.holder.host ? ` on ${e.holder.host}` : ''}` : 'another process';
      throw new OutputError(`another spinal build (${who}) is writing into '${dir}'; try again when it ends (if no build runs, remove '${e.lockPath}')`);
    }
    return fail(e);
  }
  try {
    const recovered = recover(target, siblings, ops);
    checkFolder(dir, target);
    const plan = planOutput(dir, files, options.force ?? false);
    try {
      stage(siblings.staging, target, plan, ops);
      if (!lock.held()) throw new OutputError(`cannot write into '${dir}': its lock '${siblings.lock}' was taken by another process; the folder was left as it was`);
      commit(target, siblings, plan.dirExists, ops);
    } catch (e) {
      try { ops.remove(siblings.staging); } catch { /* the next run removes it */ }
      return fail(e);
    }
    return { dir, written: files.map((f) => f.path), ...(recovered ? { recovered } : {}) };
  } catch (e) {
    return fail(e);
  } finally {
    lock.release();
  }
}

/**
 * Finishes or undoes a build of `target` that was killed, from the siblings it left. Returns
 * what it did, in words, or undefined when there was nothing to do.
 */
export function recover(target: string, siblings: Siblings, ops: FileOps = NODE_OPS): string | undefined {
  const has = (path: string) => lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  const [staged, old, present] = [has(siblings.staging), has(siblings.old), has(target)];
  if (old && !present) {
    if (staged) {
      ops.rename(siblings.staging, target);
      ops.remove(siblings.old);
      return 'an interrupted build was found and completed';
    }
    ops.rename(siblings.old, target);
    return 'an interrupted build was found and undone';
  }
  if (staged) ops.remove(siblings.staging);
  if (old) ops.remove(siblings.old);
  if (staged) return 'an interrupted build was found and undone';
  return old ? 'an interrupted build was found and completed' : undefined;
}

function ensureParent(parent: string, ops: FileOps): void {
  if (statSync(parent, { throwIfNoEntry: false })?.isDirectory()) return;
  ops.mkdir(parent);
}

/** DIR must be a folder of its own that a rename can replace: not a link, not a mount point, not where we stand. */
function checkFolder(dir: string, target: string): void {
  const st = lstatSync(target, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isSymbolicLink()) {
    throw new OutputError(`'${dir}' is a symbolic link; spinal replaces the output folder as a whole and does not follow links: pass the folder it points to ('${readlinkSync(target)}')`);
  }
  if (!st.isDirectory()) throw new OutputError(`'${dir}' exists and is not a folder`);
  if (st.dev !== lstatSync(dirname(target)).dev) {
    throw new OutputError(`'${dir}' is a mount point; spinal replaces the output folder as a whole by renaming it, which a mount point does not allow: build into a folder inside it`);
  }
  const real = realpathSync(target);
  const here = process.cwd();
  if (here === real || here.startsWith(real.endsWith(sep) ? real : real + sep)) {
    throw new OutputError(`'${dir}' holds the current folder; spinal replaces the output folder as a whole: build into a folder of its own, such as '${join(dir, 'build')}'`);
  }
}

/** The new folder, whole, at `staging`: what DIR holds besides spinal's files, then spinal's files. */
function stage(staging: string, target: string, plan: OutputPlan, ops: FileOps): void {
  ops.mkdir(staging);
  if (plan.dirExists) {
    const st = lstatSync(target);
    chmodSync(staging, st.mode & 0o7777);
    if (process.getuid?.() === 0 && (st.uid !== 0 || st.gid !== 0)) chownSync(staging, st.uid, st.gid);
    const replaced = new Set([...plan.files.map((f) => f.path), MANIFEST_NAME]);
    carryOver(target, staging, target, replaced, ops);
  }
  for (const file of plan.files) {
    ops.mkdir(dirname(join(staging, file.path)));
    ops.writeFile(join(staging, file.path), file.contents);
  }
  ops.writeFile(join(staging, MANIFEST_NAME), manifestText(plan.manifest));
  syncFolder(staging);
}

/** Everything under `from` except the paths spinal replaces, recreated under `to`. */
function carryOver(root: string, to: string, from: string, replaced: ReadonlySet<string>, ops: FileOps): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const path = relative(root, source).split(sep).join('/');
    if (replaced.has(path)) continue;
    const dest = join(to, entry.name);
    if (entry.isDirectory()) {
      ops.mkdir(dest);
      chmodSync(dest, lstatSync(source).mode & 0o7777);
      carryOver(root, dest, source, replaced, ops);
    } else if (entry.isFile()) {
      ops.carry(source, dest);
    } else if (entry.isSymbolicLink()) {
      ops.symlink(readlinkSync(source), dest);
    } else {
      throw new OutputError(`'${source}' is ${kindOf(entry)}; spinal replaces the output folder as a whole and carries over only files, folders and symbolic links: move it out of the folder`);
    }
  }
}

function kindOf(entry: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (entry.isFIFO()) return 'a named pipe';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return 'not a file';
}

function commit(target: string, siblings: Siblings, dirExists: boolean, ops: FileOps): void {
  if (!dirExists) {
    ops.rename(siblings.staging, target);
  } else {
    ops.rename(target, siblings.old);
    try {
      ops.rename(siblings.staging, target);
    } catch (e) {
      ops.rename(siblings.old, target);
      throw e;
    }
    // The build is in place; an old folder left behind is removed by the next run.
    try { ops.remove(siblings.old); } catch { /* see above */ }
  }
  syncFolder(dirname(target));
}

/** One write call takes at most 2 GiB - 1 bytes in Node; files are written in pieces of 1 GiB. */
const WRITE_CHUNK = 2 ** 30;

/** Writes a file and flushes it to the disk before the rename that publishes it. */
function writeDurably(path: string, contents: string | Uint8Array): void {
  const bytes = typeof contents === 'string' ? Buffer.from(contents) : contents;
  const fd = openSync(path, 'wx');
  try {
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, Math.min(bytes.length - at, WRITE_CHUNK));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a folder's entries, where the platform allows it (not Windows). */
function syncFolder(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch (e) {
    if (errnoCode(e) === undefined) throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
