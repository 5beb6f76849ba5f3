// `spinal check FILE...`: exit 0 when every file is valid, 1 with diagnostics on stderr.
import type { Command } from 'commander';
import type { Io } from './io.js';
import { withCompileFlags, type CompileFlags } from './options.js';

export function registerCheck(program: Command, io: Io): void {
  withCompileFlags(program
    .command('check')
    .description('check .spinal files and report every error with its location')
    .argument('<files...>', '.spinal files'))
    .action(async (files: string[], options: CompileFlags) => (await import('./actions/check.js')).check(files, options, io));
}
