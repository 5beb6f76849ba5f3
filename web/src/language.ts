// The .spinal language for CodeMirror: a stream tokenizer with the lexical rules of
// grammar/LANGUAGE.md (the words come from the compiler's own token list, `from` included);
// names declared (a model, a parameter, a value before its `=`) apart from names used.
import { StreamLanguage, type StringStream } from '@codemirror/language';
import { ACTIVATIONS } from '../../src/syntax/ast.js';
import { KEYWORDS } from '../../src/syntax/tokens.js';

const activations = new Set<string>(ACTIVATIONS);
const keywords = new Set(KEYWORDS.filter((k) => !activations.has(k)));

interface State {
  /** The previous word was `model`: this one is a declared name. */
  declaring: boolean;
}

export const spinalLanguage = StreamLanguage.define<State>({
  name: 'spinal',
  startState: () => ({ declaring: false }),
  token(stream: StringStream, state: State): string | null {
    if (stream.eatSpace()) return null;
    if (stream.match('#') || stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match(/^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/)) return 'number';
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/) as RegExpMatchArray | null;
    if (word) {
      const w = word[0];
      if (state.declaring) {
        state.declaring = false;
        return 'def';
      }
      if (w === 'model') state.declaring = true;
      if (keywords.has(w)) return 'keyword';
      if (activations.has(w)) return 'atom';
      // Before `=`: a name being declared (a parameter, or a value: `pixels = input 784`).
      if (stream.match(/^\s*=/, false)) return 'def';
      return 'variableName';
    }
    const ch = stream.next();
    if (ch === '{' || ch === '}' || ch === '(' || ch === ')') return 'bracket';
    if (ch === '=' || ch === ':' || ch === ',' || ch === ';') return 'punctuation';
    return 'invalid';
  },
  languageData: { commentTokens: { line: '#' } },
});
