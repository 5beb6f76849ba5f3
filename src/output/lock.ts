// A lock file beside an output folder, so that two spinal processes never write one folder at
// once: the second waits for the first, and refuses after a while.
//
// The lock is a file created atomically (a hard link of a file that already holds our name, so
// that a reader never finds it empty) and holding the owner's pid, host and process start time.
// A lock whose owner is gone (killed: no process with that pid, or one started later, which
// reused the pid) is stale and taken over. A lock from another host is never judged stale: its
// owner cannot be checked from here.
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { errnoCode } from '../fs/problem.js';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** The holder's start time in clock ticks since boot, where /proc tells it. */
  readonly start?: string;
}

export interface LockOptions {
  /** How long to wait for another process's lock before refusing; default 60 s. */
  readonly waitMs?: number;
  /** Called once when the lock is found held by another live process, before waiting. */
  readonly onWait?: (holder: LockHolder) => void;
}

export interface HeldLock {
  /** Whether the lock file is still ours (nobody broke it). */
  held(): boolean;
  release(): void;
}

export class LockBusyError extends Error {
  override readonly name = 'LockBusyError';
  constructor(readonly holder: LockHolder | undefined, readonly lockPath: string) {
    super(`'${lockPath}' is held by ${holder ? `process ${holder.pid} on ${holder.host}` : 'another process'}`);
  }
}

const DEFAULT_WAIT_MS = 60_000;
const POLL_MS = 25;
/** A lock file with no readable owner is taken for one being written this long, then stale. */
const UNREADABLE_GRACE_MS = 5_000;

export function acquireLock(lockPath: string, options: LockOptions = {}): HeldLock {
  const me: LockHolder = { pid: process.pid, host: hostname(), start: startTime(process.pid) };
  const text = JSON.stringify({ generator: 'spinal', ...me });
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  let told = false;
  for (;;) {
    if (tryCreate(lockPath, text)) break;
    const found = readHolder(lockPath);
    if (found === 'gone') continue;
    if (found.stale) {
      breakStale(lockPath, found.text);
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusyError(found.holder, lockPath);
    if (!told && found.holder) options.onWait?.(found.holder);
    told = true;
    sleep(POLL_MS);
  }
  const ino = statSync(lockPath).ino;
  const held = () => statSync(lockPath, { throwIfNoEntry: false })?.ino === ino;
  return {
    held,
    release: () => {
      if (held()) unlinkSync(lockPath);
    },
  };
}

/** Creates the lock file holding `text`; false when it exists already. */
function tryCreate(lockPath: string, text: string): boolean {
  const temporary = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, text, { flag: 'wx' });
  try {
    linkSync(temporary, lockPath);
    return true;
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    // A file system without hard links: create it exclusively and write it; a reader may find
    // it empty for a moment, which readHolder allows for.
    try {
      writeFileSync(lockPath, text, { flag: 'wx' });
      return true;
    } catch (e2) {
      if (errnoCode(e2) === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    unlinkSync(temporary);
  }
}

type Found = 'gone' | { readonly text: string; readonly holder: LockHolder | undefined; readonly stale: boolean };

function readHolder(lockPath: string): Found {
  let text: string;
  let age: number;
  try {
    text = readFileSync(lockPath, 'utf8');
    age = Date.now() - statSync(lockPath).mtimeMs;
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return 'gone';
    throw e;
  }
  const holder = parseHolder(text);
  if (!holder) return { text, holder, stale: age > UNREADABLE_GRACE_MS };
  return { text, holder, stale: !alive(holder) };
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isSafeInteger(parsed.pid) || (parsed.pid as number) <= 0 || typeof parsed.host !== 'string') return undefined;
    return { pid: parsed.pid as number, host: parsed.host, start: typeof parsed.start === 'string' ? parsed.start : undefined };
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote the lock still runs. Unknowable for another host: yes. */
function alive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if (errnoCode(e) === 'ESRCH') return false;
  }
  const start = startTime(holder.pid);
  return holder.start === undefined || start === undefined || start === holder.start;
}

/** Moves a stale lock away; puts back a live one that replaced it in the meantime. */
function breakStale(lockPath: string, staleText: string): void {
  const aside = `${lockPath}.stale-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return;
    throw e;
  }
  try {
    if (readFileSync(aside, 'utf8') !== staleText) linkSync(aside, lockPath);
  } catch {
    // Someone else holds a new lock already; theirs stands.
  } finally {
    unlinkSync(aside);
  }
}

/** A process's start time (field 22 of /proc/PID/stat); undefined where there is no /proc. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
