// The command line as its own process, from the sources (run with `node --import tsx`), for
// tests that need a real process: killed, run at the same time as another, fed a pipe.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

const SELF = fileURLToPath(import.meta.url);

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `spinal ARGS` in a new process; `input` is written to its stdin. */
export function startCli(args: readonly string[], options: { input?: Uint8Array | string; env?: NodeJS.ProcessEnv } = {}): { child: ChildProcess; done: Promise<ProcessResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, ...args], { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdin!.on('error', () => { /* the command may not read its input */ });
  child.stdin!.end(options.input ?? '');
  const done = new Promise<ProcessResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: readonly string[], options: { input?: Uint8Array | string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
  return startCli(args, options).done;
}

if (process.argv[1] === SELF) process.exitCode = await main(process.argv.slice(2));
