// Running the `spinal` command line in-process, as tests do: the exit code and what it printed.
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function run(...argv: string[]): Promise<CliResult> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** `run` with `input` on standard input (read by a file argument `-`). */
export async function runWithInput(input: string | Uint8Array, ...argv: string[]): Promise<CliResult> {
  const io = memoryIo(input);
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}
