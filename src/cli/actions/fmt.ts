// `spinal fmt`'s work: format every file; print, check or rewrite it.
import { chmodSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { format } from '../../fmt/format.js';
import { renderDiagnostics } from '../../diagnostics/render.js';
import { fsProblem } from '../../fs/problem.js';
import { readSource, STDIN_NAME } from '../load.js';
import { UsageError, UserError } from '../errors.js';
import type { Io } from '../io.js';
import type { FmtOptions } from '../fmt.js';

export function fmt(paths: readonly string[], options: FmtOptions, io: Io): void {
  if (options.check && options.write) throw new UsageError('--check and --write exclude each other: --check changes nothing');
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError("'-' (standard input) can be read only once");
  if (options.write && paths.includes('-')) throw new UsageError("--write cannot rewrite standard input ('-'); leave out --write to print the result");
  const failed: string[] = [];
  const unformatted: string[] = [];
  let written = 0;
  for (const path of paths) {
    const name = path === '-' ? STDIN_NAME : path;
    let text: string;
    try {
      text = readSource(path, io);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      io.err(`spinal: ${e.message}\n`);
      failed.push(name);
      continue;
    }
    const result = format(text);
    if (!result.ok) {
      io.err(`${renderDiagnostics(result.diagnostics, { path: name, text }, { color: io.color })}\n\n`);
      failed.push(name);
      continue;
    }
    if (options.check) {
      if (result.text !== text) {
        io.err(`${name}: not formatted\n`);
        unformatted.push(name);
      }
    } else if (options.write) {
      if (result.text !== text) {
        replaceFile(path, result.text);
        written++;
      }
    } else {
      io.out(result.text);
    }
  }
  if (options.write) io.err(`${written} file${written === 1 ? '' : 's'} formatted, ${paths.length - written - failed.length} already formatted\n`);
  if (failed.length > 0) throw new UserError(`${failed.length} file${failed.length === 1 ? '' : 's'} could not be formatted: ${failed.join(', ')}`);
  if (unformatted.length > 0) {
    throw new UserError(`${unformatted.length} file${unformatted.length === 1 ? ' is' : 's are'} not formatted; run spinal fmt --write on ${unformatted.length === 1 ? 'it' : 'them'}`);
  }
}

/**
 * Writes the new text beside the file and renames it over the file, so that a failed write
 * leaves the file as it was. A symbolic link is followed: the file it points to is replaced.
 */
function replaceFile(path: string, text: string): void {
  let target = path;
  try {
    target = realpathSync(path);
    const stat = statSync(target);
    if (!stat.isFile()) throw new UserError(`cannot rewrite '${path}': it is not a regular file`);
    const mode = stat.mode & 0o7777;
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}.fmt`);
    try {
      writeFileSync(temp, text, { mode });
      chmodSync(temp, mode);
      renameSync(temp, target);
    } catch (e) {
      rmSync(temp, { force: true });
      throw e;
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot write '${path}': ${fsProblem(e, target)}`);
  }
}
