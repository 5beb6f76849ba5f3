// The `spinal` command line: one module a command, argument parsing by commander.
import { Command, CommanderError } from 'commander';
import { EXIT, InterruptedError, UsageError, UserError } from './errors.js';
import { processIo, type Io } from './io.js';
import { COMMANDS } from './commands.js';
import { inFlagTerms } from './flags.js';
import { VERSION } from '../package-root.js';

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const program = new Command('spinal')
    .description('Compile SpinalNet models (.spinal files) to TensorFlow.js, WGSL, C++ and ONNX, and count their cost exactly.')
    .version(VERSION)
    .option('--no-color', 'no colour in diagnostics (NO_COLOR=1 in the environment does the same)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  program.hook('preAction', () => {
    if (program.opts<{ color: boolean }>().color === false) io.color = false;
  });
  for (const register of COMMANDS) register(program, io);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    return exitCode(e, io);
  }
}

function exitCode(e: unknown, io: Io): number {
  if (e instanceof CommanderError) {
    // Help asked for (`--help`, `help`, `--version`) exits 0; help shown because no command was
    // given carries a non-zero exit code from commander and is a usage error like any other.
    const helpShown = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
    return helpShown && e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (e instanceof UsageError) {
    io.err(`spinal: ${inFlagTerms(e.message)}\n(run with --help for usage)\n`);
    return EXIT.usage;
  }
  if (e instanceof InterruptedError) {
    io.err(`spinal: ${inFlagTerms(e.message)}\n`);
    return EXIT.interrupted;
  }
  if (e instanceof UserError) {
    io.err(`spinal: ${inFlagTerms(e.message)}\n`);
    return EXIT.user;
  }
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  io.err(`spinal: internal error: this is a bug in spinal, not in your files.\nPlease report it with the command you ran and the file(s) it read.\n\n${detail}\n`);
  return EXIT.internal;
}
