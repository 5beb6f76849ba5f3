// The command line from the sources, for benchmarks that start `spinal` processes:
// node --import tsx bench/cli.ts ARGS
import { runCli } from '../src/cli/run.js';

await runCli(process.argv.slice(2));
