// Where a piece of the user's file is. Positions sit below syntax (as in esbuild's logger): the
// lexer, parser, checker, diagnostics, language server and formatter all locate text with them.

export interface Position {
  readonly offset: number; // 0-based character offset
  readonly line: number; // 1-based
  readonly column: number; // 1-based
}

/** A half-open source span: `end` is the position just past the last character. */
export interface Range {
  readonly start: Position;
  readonly end: Position;
}
