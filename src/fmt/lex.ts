// The language's tokens with the comments kept, each with the line breaks before it: what the
// formatter lays out and the language server colours. Same token types as the parser's lexer,
// so a code token here is the token the parser sees.
import { createToken, Lexer, type IToken, type TokenType } from '../syntax/chevrotain.js';
import { allTokens, COMMENT_PATTERN } from '../syntax/tokens.js';

export const CommentToken: TokenType = createToken({ name: 'Comment', pattern: COMMENT_PATTERN });

const keptLexer = new Lexer(allTokens.map((t) => (t.name === 'Comment' ? CommentToken : t)), {
  positionTracking: 'full', ensureOptimizations: false, skipValidations: true,
});

export interface Piece {
  readonly token: IToken;
  readonly comment: boolean;
  /** Line breaks (`\n`, `\r\n` or a lone `\r`) between the previous piece (or the file's start) and this one. */
  readonly breaksBefore: number;
}

export interface Lexed {
  readonly pieces: readonly Piece[];
  /** Whether some character is no token of the language (the parser reports it as SPN001). */
  readonly lexingErrors: boolean;
}

export function lexWithComments(text: string): Lexed {
  const lexed = keptLexer.tokenize(text);
  let end = 0;
  const pieces = lexed.tokens.map((token) => {
    const piece = { token, comment: token.tokenType === CommentToken, breaksBefore: lineBreaks(text.slice(end, token.startOffset)) };
    end = (token.endOffset ?? token.startOffset) + 1;
    return piece;
  });
  return { pieces, lexingErrors: lexed.errors.length > 0 };
}

function lineBreaks(gap: string): number {
  return gap.match(/\r\n|\r|\n/g)?.length ?? 0;
}
