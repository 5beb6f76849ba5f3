// A build into an output folder, killed with SIGKILL at its Nth file-system call: run by
// output.test.ts as its own process, so that nothing of it (no finally, no cleanup) runs after.
//   node --import tsx kill-child.ts DIR VARIANT KILL_AT
// KILL_AT 0 runs to the end and prints how many calls the build made.
import { NODE_OPS, writeOutput, type FileOps } from '../../src/output/index.js';
import { filesOf } from './folder-builds.js';

const [dir, variant, killAt] = process.argv.slice(2);
let calls = 0;
const counted = <K extends keyof FileOps>(name: K): FileOps[K] => ((...args: unknown[]) => {
  if (++calls === Number(killAt)) process.kill(process.pid, 'SIGKILL');
  return (NODE_OPS[name] as (...a: unknown[]) => unknown)(...args);
}) as FileOps[K];
const ops: FileOps = { rename: counted('rename'), writeFile: counted('writeFile'), mkdir: counted('mkdir'), carry: counted('carry'), symlink: counted('symlink'), remove: counted('remove') };
const result = writeOutput(dir, filesOf(variant), { ops });
process.stdout.write(`${JSON.stringify({ calls, recovered: result.recovered ?? null })}\n`);
