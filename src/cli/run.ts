// The process around the command line: what bin/spinal.js runs.
import { main } from './main.js';
import { guardStandardStreams } from './io.js';

export async function runCli(argv: readonly string[]): Promise<void> {
  guardStandardStreams();
  process.exitCode = await main(argv);
}
