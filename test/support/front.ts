// Small helpers for front-half tests: compile a snippet, list its codes, fetch its one model.
import { compile, type CompiledFile, type CompiledModel } from '../../src/compile.js';
import type { CheckOptions } from '../../src/check/check.js';

export function compileText(text: string, options: CheckOptions = {}): CompiledFile {
  return compile({ path: 'test.spinal', text }, options);
}

export function codesOf(text: string, options: CheckOptions = {}): string[] {
  return compileText(text, options).diagnostics.map((d) => d.code);
}

export function onlyModel(text: string, options: CheckOptions = {}): CompiledModel {
  const compiled = compileText(text, options);
  // Lint warnings (a row no sub-layer reads, say) leave a model that compiles; errors do not.
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`expected no errors, got ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  if (compiled.models.length !== 1) throw new Error(`expected one model, got ${compiled.models.length}`);
  return compiled.models[0];
}
