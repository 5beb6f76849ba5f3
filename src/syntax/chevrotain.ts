// chevrotain, through this one module. In dist/ the build replaces its output with a one-file
// bundle of the library (scripts/bundle-deps.mjs): loading the package's ~200 modules one by one
// would take longer than everything else `spinal check` does.
export { createToken, CstParser, Lexer } from 'chevrotain';
export type { CstNode, ILexingError, IParserErrorMessageProvider, IRecognitionException, IToken, TokenType } from 'chevrotain';
