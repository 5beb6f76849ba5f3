// Where the CLI writes, so tests can run commands in-process and read what they printed.
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (colours, progress bars). */
  readonly tty: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: Boolean(process.stderr.isTTY),
};

/** An Io that keeps everything, for tests. */
export function memoryIo(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    tty: false,
    out(text: string) { io.stdout += text; },
    err(text: string) { io.stderr += text; },
  };
  return io;
}
