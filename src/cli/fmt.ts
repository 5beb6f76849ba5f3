// `spinal fmt FILE... [--check] [--write]`: the canonical layout of .spinal files.
import type { Command } from 'commander';
import type { Io } from './io.js';

export interface FmtOptions {
  readonly check?: boolean;
  readonly write?: boolean;
}

export function registerFmt(program: Command, io: Io): void {
  program
    .command('fmt')
    .description('format .spinal files in the canonical layout (to stdout unless --check or --write), comments kept')
    .argument('<files...>', ".spinal files ('-' reads standard input)")
    .option('--check', 'print nothing; name the files that are not formatted and exit 1 if there are any')
    .option('--write', 'rewrite the files that are not formatted, in place')
    .addHelpText('after', '\nExamples:\n  spinal fmt model.spinal\n  spinal fmt --check samples/*.spinal\n  spinal fmt --write samples/*.spinal')
    .action(async (files: string[], options: FmtOptions) => (await import('./actions/fmt.js')).fmt(files, options, io));
}
