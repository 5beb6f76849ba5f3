// Where the CLI writes, so tests can run commands in-process and read what they printed.
import { readlinkSync } from 'node:fs';
import { readCapped, TooLargeError } from '../fs/read.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars). */
  readonly tty: boolean;
  /** Whether diagnostics are coloured: stderr is a terminal, NO_COLOR is unset and `--no-color` was not given. */
  color: boolean;
  /** Standard input (a file argument `-`), at most `limit` bytes. */
  stdin(limit: number): Uint8Array;
}

/** https://no-color.org: any non-empty NO_COLOR turns colour off. */
export function colorWanted(env: NodeJS.ProcessEnv, tty: boolean): boolean {
  return tty && !env.NO_COLOR;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: Boolean(process.stderr.isTTY),
  color: colorWanted(process.env, Boolean(process.stderr.isTTY)),
  stdin: (limit) => readCapped('/dev/stdin', limit),
};

/** An Io that keeps everything, for tests; `input` is what standard input holds. */
export function memoryIo(input: string | Uint8Array = ''): Io & { stdout: string; stderr: string } {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const io = {
    stdout: '',
    stderr: '',
    tty: false,
    color: false,
    stdin(limit: number) {
      if (bytes.length > limit) throw new TooLargeError('-', limit);
      return bytes;
    },
    out(text: string) { io.stdout += text; },
    err(text: string) { io.stderr += text; },
  };
  return io;
}

const WRITE_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EBADF: 'it is closed',
  EACCES: 'permission denied',
};

/** Where a file descriptor points, when it is a named file (`> /dev/full`), for messages. */
function describeFd(fd: number, fallback: string): string {
  try {
    const target = readlinkSync(`/proc/self/fd/${fd}`);
    return target.startsWith('/') ? `'${target}' (${fallback})` : fallback;
  } catch {
    return fallback;
  }
}

/**
 * How the process ends when its standard output fails. A reader that closed the pipe (`| head`)
 * has all it wanted: exit 0, nothing printed. Any other failure (a full disk) is one line naming
 * where the output went, exit 1. A failing stderr is ignored: there is nowhere left to say so.
 */
export function guardStandardStreams(exit: (code: number) => never = (code) => process.exit(code)): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') exit(0);
    const why = (e.code && WRITE_ERRORS[e.code]) ?? e.message;
    try {
      process.stderr.write(`spinal: cannot write to ${describeFd(1, 'standard output')}: ${why}\n`);
    } catch { /* stderr is gone too */ }
    exit(1);
  });
  process.stderr.on('error', () => { /* nothing left to report to */ });
}
