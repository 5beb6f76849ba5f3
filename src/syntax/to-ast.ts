// CST visitor: turns chevrotain's concrete syntax tree into the readonly AST.
import type { CstNode, IToken } from './chevrotain.js';
import type * as A from './ast.js';
import type { Range } from '../diagnostics/source.js';
import type { SpinalParser } from './parser.js';

type Children = Record<string, (CstNode | IToken)[] | undefined>;

export function tokenRange(first: IToken, last: IToken = first): Range {
  return {
    start: { offset: first.startOffset, line: first.startLine ?? 1, column: first.startColumn ?? 1 },
    end: { offset: (last.endOffset ?? last.startOffset) + 1, line: last.endLine ?? 1, column: (last.endColumn ?? 1) + 1 },
  };
}

export function span(a: Range, b: Range): Range {
  return { start: a.start, end: b.end };
}

function tokens(children: Children, key: string): IToken[] {
  return (children[key] ?? []) as IToken[];
}
function nodes(children: Children, key: string): CstNode[] {
  return (children[key] ?? []) as CstNode[];
}
function token(children: Children, key: string): IToken {
  return tokens(children, key)[0];
}

export function createAstBuilder(parser: SpinalParser) {
  const Base = parser.getBaseCstVisitorConstructor();

  class AstBuilder extends Base {
    constructor() {
      super();
      this.validateVisitor();
    }

    file(c: Children): A.FileAst {
      return { models: nodes(c, 'model').map((m) => this.visit(m) as A.ModelDecl) };
    }

    model(c: Children): A.ModelDecl {
      const kw = token(c, 'Model');
      const nameTok = token(c, 'name');
      const name: A.Ident = { name: nameTok.image, range: tokenRange(nameTok) };
      const variant = nodes(c, 'variant')[0];
      if (variant) {
        const v = this.visit(variant) as { base: A.Ident; args: A.Binding[]; last: IToken };
        return { kind: 'variant', name, base: v.base, args: v.args, range: tokenRange(kw, v.last) };
      }
      const params = nodes(c, 'params')[0];
      const body = this.visit(nodes(c, 'body')[0]) as { stmts: A.Stmt[]; last: IToken };
      return {
        kind: 'model',
        name,
        params: params ? (this.visit(params) as A.Binding[]) : [],
        body: body.stmts,
        range: tokenRange(kw, body.last),
      };
    }

    variant(c: Children) {
      const base = token(c, 'base');
      return {
        base: { name: base.image, range: tokenRange(base) },
        args: nodes(c, 'binding').map((b) => this.visit(b) as A.Binding),
        last: token(c, 'RParen'),
      };
    }

    params(c: Children): A.Binding[] {
      return nodes(c, 'binding').map((b) => this.visit(b) as A.Binding);
    }

    binding(c: Children): A.Binding {
      const id = token(c, 'Ident');
      const num = token(c, 'Number');
      return { name: { name: id.image, range: tokenRange(id) }, value: numberLit(num), range: tokenRange(id, num) };
    }

    body(c: Children) {
      return { stmts: nodes(c, 'stmt').map((s) => this.visit(s) as A.Stmt), last: token(c, 'RBrace') };
    }

    stmt(c: Children): A.Stmt {
      const nameTok = tokens(c, 'name')[0];
      const name: A.Ident | undefined = nameTok ? { name: nameTok.image, range: tokenRange(nameTok) } : undefined;
      // The statement's range starts at its keyword, where its diagnostics point; the name has its own.
      const named = <S extends A.Stmt>(stmt: S): S => (name ? { ...stmt, name } : stmt);
      const spinal = nodes(c, 'spinal')[0];
      if (spinal) return named(this.visit(spinal) as A.SpinalStmt);
      const value = nodes(c, 'value')[0];
      const act = nodes(c, 'act')[0];
      const fromNode = nodes(c, 'from')[0];
      const v = value ? (this.visit(value) as A.Value) : undefined;
      const a = act ? (this.visit(act) as A.ActivationRef) : undefined;
      const from = fromNode ? (this.visit(fromNode) as A.FromClause) : undefined;
      const kw = (c.Input ?? c.Dense ?? c.Dropout ?? c.Batchnorm ?? c.Output)![0] as IToken;
      const end = from?.range ?? a?.range ?? v?.range ?? tokenRange(kw);
      const range = span(tokenRange(kw), end);
      const flow = from ? { from } : {};
      switch (kw.image) {
        case 'input': return named({ kind: 'input', size: v!, range });
        case 'dense': return named({ kind: 'dense', units: v!, activation: a, ...flow, range });
        case 'dropout': return named({ kind: 'dropout', p: v!, ...flow, range });
        case 'batchnorm': return named({ kind: 'batchnorm', ...flow, range });
        default: return named({ kind: 'output', size: v!, activation: a, ...flow, range });
      }
    }

    from(c: Children): A.FromClause {
      const names = tokens(c, 'Ident').map((t) => ({ name: t.image, range: tokenRange(t) }));
      const kw = token(c, 'From');
      return { names, range: span(tokenRange(kw), names.length ? names[names.length - 1].range : tokenRange(kw)) };
    }

    /** Never part of an AST: parse.ts reports it and returns no AST. */
    unknownStmt(): undefined {
      return undefined;
    }

    spinal(c: Children): A.SpinalStmt {
      const fromNode = nodes(c, 'from')[0];
      return {
        kind: 'spinal',
        ...(fromNode ? { from: this.visit(fromNode) as A.FromClause } : {}),
        items: nodes(c, 'spinalStmt').map((s) => this.visit(s) as A.SpinalItem),
        range: tokenRange(token(c, 'Spinal'), token(c, 'RBrace')),
      };
    }

    spinalStmt(c: Children): A.SpinalItem {
      const values = nodes(c, 'value').map((v) => this.visit(v) as A.Value);
      const kw = (c.Split ?? c.Width ?? c.Layers ?? c.Activation ?? c.Dropout ?? c.Batchnorm ?? c.Tie)![0] as IToken;
      const start = tokenRange(kw);
      switch (kw.image) {
        case 'split': {
          const inter = tokens(c, 'Interleaved')[0];
          const end = inter ? tokenRange(inter) : values[values.length - 1].range;
          return { kind: 'split', ratios: values, interleaved: Boolean(inter), range: span(start, end) };
        }
        case 'width': return { kind: 'width', value: values[0], range: span(start, values[0].range) };
        case 'layers': return { kind: 'layers', value: values[0], range: span(start, values[0].range) };
        case 'dropout': return { kind: 'dropout', p: values[0], range: span(start, values[0].range) };
        case 'batchnorm': return { kind: 'batchnorm', range: start };
        case 'tie': {
          const owner = values[values.length - 1];
          return { kind: 'tie', first: values[0], last: values.length === 3 ? values[1] : values[0], owner, range: span(start, owner.range) };
        }
        default: {
          const activation = this.visit(nodes(c, 'act')[0]) as A.ActivationRef;
          return { kind: 'activation', activation, range: span(start, activation.range) };
        }
      }
    }

    value(c: Children): A.Value {
      const num = tokens(c, 'Number')[0];
      if (num) return numberLit(num);
      const id = token(c, 'Ident');
      return { kind: 'name', name: id.image, range: tokenRange(id) };
    }

    act(c: Children): A.ActivationRef {
      const tok = Object.values(c).flat()[0] as IToken;
      return { name: tok.image as A.Activation, range: tokenRange(tok) };
    }
  }

  return new AstBuilder();
}

function numberLit(tok: IToken): A.NumberLit {
  return { kind: 'number', text: tok.image, value: Number(tok.image), range: tokenRange(tok) };
}
