// Semantic tokens: every token of the document (comments included) by what it is, models,
// parameters and named values (`variable`) told apart by the outline, declarations marked.
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ACTIVATIONS } from '../syntax/ast.js';
import type { Analysis } from './analysis.js';
import type { Occurrence } from './outline.js';

const TYPES = ['keyword', 'comment', 'number', 'class', 'parameter', 'enumMember', 'variable', 'operator'] as const;
const MODIFIERS = ['declaration'] as const;

export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

type TokenKind = (typeof TYPES)[number];
const ACTIVATION_SET = new Set<string>(ACTIVATIONS);
const OCCURRENCE_KINDS: Readonly<Record<Occurrence['kind'], TokenKind>> = { model: 'class', parameter: 'parameter', value: 'variable' };

export function semanticTokens(a: Analysis, doc: TextDocument): SemanticTokens {
  const names = new Map(a.outline.occurrences.map((o) => [o.span.start, o]));
  const builder = new SemanticTokensBuilder();
  for (const piece of a.pieces) {
    const t = piece.token;
    const occ = names.get(t.startOffset);
    const type = t.tokenType.name;
    let kind: TokenKind;
    if (piece.comment) kind = 'comment';
    else if (occ) kind = OCCURRENCE_KINDS[occ.kind];
    else if (type === 'Ident') kind = 'variable';
    else if (type === 'Number') kind = 'number';
    else if (ACTIVATION_SET.has(t.image)) kind = 'enumMember';
    else if (/^[a-z]/.test(t.image)) kind = 'keyword';
    else kind = 'operator';
    const at = doc.positionAt(t.startOffset);
    builder.push(at.line, at.character, t.image.length, TYPES.indexOf(kind), occ?.declaration ? 1 : 0);
  }
  return builder.build();
}
