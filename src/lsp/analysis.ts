// Everything the language server knows about one version of a document, computed once: the
// tokens with comments, the outline of names, the compiled file (diagnostics, models), the AST
// when the text parses, and each model's report on demand.
import { compile, type CompiledFile, type CompiledModel } from '../compile.js';
import { parse } from '../syntax/parse.js';
import type { FileAst } from '../syntax/ast.js';
import { modelReport, type ModelReport } from '../report/model-report.js';
import { lexWithComments, type Piece } from '../fmt/lex.js';
import { outline, type Outline } from './outline.js';

export class Analysis {
  readonly pieces: readonly Piece[];
  readonly outline: Outline;
  readonly compiled: CompiledFile;
  readonly ast: FileAst | undefined;
  private readonly reports = new Map<string, ModelReport>();

  constructor(readonly path: string, readonly text: string) {
    this.pieces = lexWithComments(text).pieces;
    this.outline = outline(this.pieces);
    this.compiled = compile({ path, text });
    this.ast = parse(text).ast;
  }

  model(name: string): CompiledModel | undefined {
    return this.compiled.models.find((m) => m.spec.name === name);
  }

  /** Counts, baseline and per-layer rows of a model that compiled. */
  report(name: string): ModelReport | undefined {
    let r = this.reports.get(name);
    if (!r) {
      const model = this.model(name);
      if (!model) return undefined;
      r = modelReport(model);
      this.reports.set(name, r);
    }
    return r;
  }
}
