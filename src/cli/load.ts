// Reading and compiling the files named on the command line, printing their diagnostics.
import { readCapped, TooLargeError } from '../fs/read.js';
import { errnoCode, fsProblem } from '../fs/problem.js';
import { compile, type CompiledFile, type CompiledModel } from '../compile.js';
import type { CheckOptions } from '../check/check.js';
import { renderDiagnostics } from '../diagnostics/render.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { MAX_SOURCE_BYTES } from '../syntax/parse.js';
import { didYouMean } from '../diagnostics/edit-distance.js';
import { UsageError, UserError } from './errors.js';
import type { Io } from './io.js';
import { binaryKind } from './binary.js';

/** How standard input is named in diagnostics when a file argument is `-`. */
export const STDIN_NAME = '<stdin>';

/**
 * A source file, whatever kind of file it is, read no further than the size limit allows; `-`
 * is standard input. A binary file (weights, an archive) is refused by what it is.
 */
export function readSource(path: string, io: Io): string {
  const limit = MAX_SOURCE_BYTES * 4;
  const name = path === '-' ? STDIN_NAME : path;
  let bytes: Uint8Array;
  try {
    bytes = path === '-' ? io.stdin(limit) : readCapped(path, limit);
  } catch (e) {
    if (e instanceof TooLargeError) {
      const size = e.bytes === undefined ? `holds more than ${limit} bytes` : `is ${e.bytes} bytes`;
      throw new UserError(`'${name}' ${size}; a .spinal file may have at most ${MAX_SOURCE_BYTES} characters`);
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new UserError(`'${name}' is a directory, not a .spinal file`);
    if (errnoCode(e) === undefined) throw e;
    throw new UserError(`cannot read '${name}': ${code === 'ENOENT' ? 'no such file' : fsProblem(e, name)}`);
  }
  const kind = binaryKind(bytes);
  if (kind) throw new UserError(`'${name}' is ${kind}, not a .spinal source file`);
  return decodeSource(bytes);
}

/** File bytes to source text: UTF-8, invalid sequences as U+FFFD, an editor's byte-order mark dropped. */
export function decodeSource(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** One file named on the command line: compiled, or why it could not be (unreadable, no model). */
export interface FileOutcome {
  readonly path: string;
  readonly file?: CompiledFile;
  readonly problem?: string;
}

/** Reads and compiles every file, whatever the others hold; never fails on the user's input. */
export function compileEach(paths: readonly string[], io: Io, options: CheckOptions = {}): FileOutcome[] {
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError("'-' (standard input) can be read only once");
  return paths.map((path) => {
    let text: string;
    try {
      text = readSource(path, io);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      return { path, problem: e.message };
    }
    const file = compile({ path: path === '-' ? STDIN_NAME : path, text }, options);
    if (file.models.length > 0 || hasErrors(file.diagnostics)) return { path, file };
    return { path, file, problem: `'${file.source.path}' declares no model${/\S/.test(text) ? ' (it holds only comments)' : ' (it is empty)'}` };
  });
}

/**
 * Compiles every file, prints all diagnostics to stderr, and fails if any file has errors, could
 * not be read, or declares no model. Every file is read and reported, whatever the others hold.
 */
export function compileFiles(paths: readonly string[], io: Io, options: CheckOptions = {}): CompiledFile[] {
  const outcomes = compileEach(paths, io, options);
  let errors = 0;
  for (const { file, problem } of outcomes) {
    if (file && file.diagnostics.length > 0) io.err(`${renderDiagnostics(file.diagnostics, file.source, { color: io.color })}\n\n`);
    if (file) errors += file.diagnostics.filter((d) => d.severity === 'error').length;
    if (problem && paths.length > 1) io.err(`spinal: ${problem}\n`);
  }
  const problems = outcomes.flatMap((o) => (o.problem ? [o.problem] : []));
  if (errors === 0 && problems.length === 1 && paths.length === 1) throw new UserError(problems[0]);
  if (errors > 0 || problems.length > 0) {
    const parts = [
      ...(errors > 0 ? [`${errors} error${errors === 1 ? '' : 's'} found`] : []),
      ...(problems.length > 0 ? [`${problems.length} of ${paths.length} files unusable`] : []),
    ];
    throw new UserError(parts.join('; '));
  }
  const files = outcomes.map((o) => o.file!);
  checkOverridesUsed(files, options.overrides);
  return files;
}

/** A `--set` that no model can take is a typo on the command line, not a silent no-op. */
function checkOverridesUsed(files: readonly CompiledFile[], overrides: CheckOptions['overrides']): void {
  const known = new Set(files.flatMap((f) => f.models.flatMap((m) => Object.keys(m.spec.params))));
  for (const name of Object.keys(overrides ?? {})) {
    if (known.has(name)) continue;
    const hint = didYouMean(name, known);
    throw new UsageError(`--set ${name}: no model in ${files.length === 1 ? 'this file' : 'these files'} has a parameter '${name}'${hint ? `; ${hint}` : ''}`);
  }
}

/** The one model a command works on: `--model NAME`, or the file's only model. */
export function pickModel(file: CompiledFile, name: string | undefined): CompiledModel {
  const names = file.models.map((m) => m.spec.name);
  if (name !== undefined) {
    const found = file.models.find((m) => m.spec.name === name);
    if (!found) throw new UserError(`'${file.source.path}' has no model '${name}'; it has ${names.join(', ') || 'none'}`);
    return found;
  }
  if (file.models.length === 1) return file.models[0];
  if (file.models.length === 0) throw new UserError(`'${file.source.path}' declares no model`);
  // Which model to use is the command line's to say: a usage mistake (exit 2).
  throw new UsageError(`'${file.source.path}' declares ${file.models.length} models (${names.join(', ')}): choose one with --model NAME`);
}
