// The chevrotain CstParser for `.spinal` files. Grammar only: the AST is built by to-ast.ts.
import { CstParser, type IParserErrorMessageProvider, type TokenType, type IToken } from './chevrotain.js';
import * as T from './tokens.js';
import { part, wording } from '../diagnostics/wording.js';

/** A token as a syntax error names what it found. */
export function describe(token: IToken): string {
  return token.tokenType.name === 'EOF' ? part('SPN002', 'endOfFile') : `'${token.image}'`;
}

function labels(paths: TokenType[][][]): string[] {
  const seen = new Set<string>();
  for (const alt of paths) for (const path of alt) if (path[0]) seen.add(path[0].LABEL ?? path[0].name);
  return [...seen];
}

/** What a syntax error expected: `a, b or c`. */
export function list(items: string[]): string {
  if (items.length <= 1) return items[0] ?? part('SPN002', 'nothing');
  return part('SPN002', 'alternatives', { first: items.slice(0, -1).join(', '), last: items[items.length - 1] });
}

/** An SPN002 message. */
function syntaxError(message: 'expected' | 'newModel' | 'emptyParams' | 'atLeastOne', expected: string[], found: IToken): string {
  return wording('SPN002', { expected: list(expected), found: describe(found) }, { message }).message;
}

/** The keywords that may start a statement, per rule with a list of statements. */
export const STATEMENTS_IN: Record<string, string[] | undefined> = {
  body: ["'input'", "'dense'", "'dropout'", "'batchnorm'", "'spinal'", "'output'"],
  spinal: ["'split'", "'width'", "'layers'", "'activation'", "'dropout'", "'batchnorm'", "'tie'"],
};

/** Expected token labels per offending token offset, for hints after the parse. */
export type ExpectedAt = Map<number, string[]>;

/** A parse stops at this many syntax errors: enough to fix, and a hostile file stays fast. */
export const MAX_SYNTAX_ERRORS = 1000;

/** Thrown through chevrotain (which rethrows what it does not know) to stop a parse. */
export class TooManySyntaxErrors extends Error {
  override readonly name = 'TooManySyntaxErrors';
}

/** Syntax errors seen by the current parse; parse.ts resets it before each. */
export interface ErrorBudget {
  errors: number;
}

function messageProvider(expectedAt: ExpectedAt, budget: ErrorBudget): IParserErrorMessageProvider {
  const note = (token: IToken, expected: string[]): string[] => {
    if (++budget.errors > MAX_SYNTAX_ERRORS) throw new TooManySyntaxErrors();
    expectedAt.set(token.startOffset, expected);
    return expected;
  };
  return {
    buildMismatchTokenMessage({ expected, actual, ruleName }) {
      // A '}' that closes a list of statements: say which statements could have stood there.
      const loop = expected === T.RBrace ? STATEMENTS_IN[ruleName] : undefined;
      const want = note(actual, loop ? [...loop, "'}'"] : [expected.LABEL ?? expected.name]);
      return syntaxError('expected', want, actual);
    },
    buildNotAllInputParsedMessage({ firstRedundant }) {
      return syntaxError('newModel', note(firstRedundant, ["'model'"]), firstRedundant);
    },
    buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
      const want = note(actual[0], labels(expectedPathsPerAlt));
      return syntaxError('expected', want, actual[0]);
    },
    buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
      const want = note(actual[0], labels([expectedIterationPaths]));
      if (ruleName === 'params') {
        return syntaxError('emptyParams', want, actual[0]);
      }
      return syntaxError('atLeastOne', want, actual[0]);
    },
  };
}

export class SpinalParser extends CstParser {
  /**
   * `validate` runs chevrotain's checks of the grammar (ambiguities, left recursion), which take
   * longer than parsing a file: parse.ts skips them, test/syntax/grammar-checks.test.ts runs them.
   */
  constructor(
    readonly expectedAt: ExpectedAt = new Map(),
    readonly budget: ErrorBudget = { errors: 0 },
    options: { readonly validate: boolean } = { validate: true },
  ) {
    super(T.allTokens, {
      recoveryEnabled: true, errorMessageProvider: messageProvider(expectedAt, budget), maxLookahead: 3,
      skipValidations: !options.validate,
    });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.model));
  });

  model = this.RULE('model', () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Ident, { LABEL: 'name' });
    this.OR([
      { ALT: () => this.SUBRULE(this.variant) },
      {
        ALT: () => {
          this.OPTION(() => this.SUBRULE(this.params));
          this.SUBRULE(this.body);
        },
      },
    ]);
  });

  variant = this.RULE('variant', () => {
    this.CONSUME(T.Equals);
    this.CONSUME(T.Ident, { LABEL: 'base' });
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.binding) });
    this.CONSUME(T.RParen);
  });

  params = this.RULE('params', () => {
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.binding) });
    this.CONSUME(T.RParen);
  });

  binding = this.RULE('binding', () => {
    this.CONSUME(T.Ident);
    this.CONSUME(T.Equals);
    this.CONSUME(T.NumberTok);
  });

  body = this.RULE('body', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.OR([{ ALT: () => this.SUBRULE(this.stmt) }, { ALT: () => this.SUBRULE(this.unknownStmt) }]));
    this.CONSUME(T.RBrace);
  });

  /**
   * A statement that starts with a word that is no keyword, such as `dens 10` or `widht w`.
   * Parsed (and reported by parse.ts) so that the statements after it are still checked.
   */
  unknownStmt = this.RULE('unknownStmt', () => {
    this.CONSUME(T.Ident, { LABEL: 'word' });
    this.OPTION(() => {
      this.SUBRULE(this.value);
      this.MANY(() => { this.CONSUME(T.Colon); this.SUBRULE1(this.value); });
    });
    this.OPTION1(() => this.OR([{ ALT: () => this.SUBRULE(this.act) }, { ALT: () => this.CONSUME(T.Interleaved) }]));
    this.OPTION2(() => this.CONSUME(T.Semicolon));
  });

  stmt = this.RULE('stmt', () => {
    this.OPTION(() => { this.CONSUME(T.Ident, { LABEL: 'name' }); this.CONSUME(T.Equals); });
    this.OR([
      { ALT: () => { this.CONSUME(T.Input); this.SUBRULE(this.value); } },
      {
        ALT: () => {
          this.CONSUME(T.Dense);
          this.SUBRULE1(this.value);
          this.OPTION1(() => this.SUBRULE(this.act));
          this.OPTION2(() => this.SUBRULE(this.from));
        },
      },
      { ALT: () => { this.CONSUME(T.Dropout); this.SUBRULE2(this.value); this.OPTION3(() => this.SUBRULE1(this.from)); } },
      { ALT: () => { this.CONSUME(T.Batchnorm); this.OPTION4(() => this.SUBRULE2(this.from)); } },
      { ALT: () => this.SUBRULE(this.spinal) },
      {
        ALT: () => {
          this.CONSUME(T.Output);
          this.SUBRULE3(this.value);
          this.OPTION5(() => this.SUBRULE1(this.act));
          this.OPTION6(() => this.SUBRULE3(this.from));
        },
      },
    ]);
    this.OPTION7(() => this.CONSUME(T.Semicolon));
  });

  /** `from a, b`: the named values a statement reads, concatenated. */
  from = this.RULE('from', () => {
    this.CONSUME(T.From);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Ident) });
  });

  spinal = this.RULE('spinal', () => {
    this.CONSUME(T.Spinal);
    this.OPTION(() => this.SUBRULE(this.from));
    this.CONSUME(T.LBrace);
    this.MANY(() => this.OR([{ ALT: () => this.SUBRULE(this.spinalStmt) }, { ALT: () => this.SUBRULE(this.unknownStmt) }]));
    this.CONSUME(T.RBrace);
  });

  spinalStmt = this.RULE('spinalStmt', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Split);
          this.SUBRULE(this.value);
          this.MANY(() => { this.CONSUME(T.Colon); this.SUBRULE1(this.value); });
          this.OPTION(() => this.CONSUME(T.Interleaved));
        },
      },
      { ALT: () => { this.CONSUME(T.Width); this.SUBRULE2(this.value); } },
      { ALT: () => { this.CONSUME(T.Layers); this.SUBRULE3(this.value); } },
      { ALT: () => { this.CONSUME(T.ActivationKw); this.SUBRULE(this.act); } },
      { ALT: () => { this.CONSUME(T.Dropout); this.SUBRULE4(this.value); } },
      { ALT: () => this.CONSUME(T.Batchnorm) },
      {
        ALT: () => {
          this.CONSUME(T.Tie);
          this.SUBRULE5(this.value);
          this.OPTION2(() => { this.CONSUME(T.DotDot); this.SUBRULE6(this.value); });
          this.CONSUME(T.To);
          this.SUBRULE7(this.value);
        },
      },
    ]);
    this.OPTION1(() => this.CONSUME(T.Semicolon));
  });

  value = this.RULE('value', () => {
    this.OR([{ ALT: () => this.CONSUME(T.NumberTok) }, { ALT: () => this.CONSUME(T.Ident) }]);
  });

  act = this.RULE('act', () => {
    this.OR(T.ActivationTokens.map((tok) => ({ ALT: () => this.CONSUME(tok) })));
  });
}
