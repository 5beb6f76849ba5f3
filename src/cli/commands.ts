// Every command of the CLI, registered in the order `--help` lists them. A command's module only
// defines its options; its action loads the work with import() (src/cli/actions/), so that a
// command pays only for what it uses (test/cli/startup-imports.test.ts).
import type { Command } from 'commander';
import type { Io } from './io.js';
import { registerCheck } from './check.js';
import { registerMacs } from './macs.js';
import { registerIr } from './ir.js';
import { registerGraph } from './graph.js';
import { registerInit } from './init.js';
import { registerImport } from './import.js';
import { registerBuild } from './build.js';
import { registerVerify } from './verify.js';
import { registerTrain } from './train.js';
import { registerEvaluate } from './evaluate.js';
import { registerWorker } from './worker.js';
import { registerFmt } from './fmt.js';
import { registerLsp } from './lsp.js';
import { registerPlayground } from './playground.js';

export const COMMANDS: ReadonlyArray<(program: Command, io: Io) => void> = [
  registerCheck,
  registerMacs,
  registerIr,
  registerGraph,
  registerInit,
  registerImport,
  registerBuild,
  registerVerify,
  registerTrain,
  registerEvaluate,
  registerWorker,
  registerFmt,
  registerLsp,
  registerPlayground,
];
