// The compiler builds its lexer and parser without chevrotain's definition checks (they cost
// more than parsing a file); here they run, so a grammar or token mistake still fails a test.
import { describe, expect, it } from 'vitest';
import { SpinalParser } from '../../src/syntax/parser.js';
import { makeLexer } from '../../src/syntax/tokens.js';

describe("chevrotain's own checks of the grammar", () => {
  it('find nothing wrong with the token definitions', () => {
    const lexer = makeLexer({ validate: true });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
  });

  it('find no ambiguity or left recursion in the grammar (the constructor throws on any)', () => {
    expect(() => new SpinalParser(new Map(), { errors: 0 }, { validate: true })).not.toThrow();
  });
});
