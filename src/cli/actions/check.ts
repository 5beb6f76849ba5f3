// `spinal check`'s work: compile every file, print every diagnostic, count the models; with
// --json, every file's models and diagnostics as one JSON document on stdout.
import type { Io } from '../io.js';
import type { CheckFlags } from '../check.js';
import { UserError } from '../errors.js';
import { compileEach, compileFiles, type FileOutcome } from '../load.js';
import { checkOptionsFrom } from '../options.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

export function check(files: readonly string[], options: CheckFlags, io: Io): void {
  if (options.json) return checkJson(files, options, io);
  const compiled = compileFiles(files, io, checkOptionsFrom(options));
  const n = compiled.reduce((a, f) => a + f.models.length, 0);
  io.err(`${files.length} file${files.length === 1 ? '' : 's'} ok, ${n} model${n === 1 ? '' : 's'}\n`);
}

function checkJson(files: readonly string[], options: CheckFlags, io: Io): void {
  const outcomes = compileEach(files, io, checkOptionsFrom(options));
  const entries = outcomes.map(fileJson);
  const errors = entries.reduce((a, e) => a + e.diagnostics.filter((d) => d.severity === 'error').length, 0);
  const warnings = entries.reduce((a, e) => a + e.diagnostics.filter((d) => d.severity === 'warning').length, 0);
  const unusable = entries.filter((e) => e.problem !== undefined).length;
  io.out(`${JSON.stringify({ ok: errors === 0 && unusable === 0, errors, warnings, files: entries }, null, 2)}\n`);
  if (errors > 0 || unusable > 0) throw new UserError(`${errors} error${errors === 1 ? '' : 's'}, ${unusable} file${unusable === 1 ? '' : 's'} unusable`);
}

function fileJson({ path, file, problem }: FileOutcome) {
  return {
    path: file?.source.path ?? path,
    models: file?.models.map((m) => m.spec.name) ?? [],
    diagnostics: file?.diagnostics.map(diagnosticJson) ?? [],
    ...(problem !== undefined ? { problem } : {}),
  };
}

/** Lines and columns count from 1, columns in UTF-16 code units; `end` is just past the span. */
function diagnosticJson(d: Diagnostic) {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    start: { line: d.range.start.line, column: d.range.start.column },
    end: { line: d.range.end.line, column: d.range.end.column },
    ...(d.hint ? { hint: d.hint } : {}),
  };
}
