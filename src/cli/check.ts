// `spinal check FILE...`: exit 0 when every file is valid, 1 with diagnostics on stderr.
import type { Command } from 'commander';
import type { Io } from './io.js';
import { withCompileFlags, type CompileFlags } from './options.js';

export interface CheckFlags extends CompileFlags {
  readonly json?: boolean;
}

export function registerCheck(program: Command, io: Io): void {
  withCompileFlags(program
    .command('check')
    .description("check .spinal files ('-' reads standard input) and report every error and warning with its location")
    .argument('<files...>', '.spinal files')
    .option('--json', 'print every file\'s models and diagnostics as JSON on stdout (nothing on stderr but the closing line)'))
    .action(async (files: string[], options: CheckFlags) => (await import('./actions/check.js')).check(files, options, io));
}
