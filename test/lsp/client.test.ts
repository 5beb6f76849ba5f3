// A real client and the server in one process, talking JSON-RPC over a pair of streams: the
// messages an editor sends while the user opens, types, hovers, completes, renames and formats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeLens, CompletionItem, DocumentSymbol, Hover, Location, MarkupContent, SemanticTokens, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Client, inProcess } from './client.js';

const URI = 'file:///work/head.spinal';
const BROKEN = 'model head(w = 8) {\n  input 24\n  spinal {\n    split 1:1\n    widht w\n    layers 3\n  }\n  output 4\n}\n';
const FIXED = BROKEN.replace('widht', 'width');

let client: Client;
beforeAll(async () => {
  client = inProcess();
  await client.initialize();
});
afterAll(() => client.dispose());

const doc = (uri: string) => ({ textDocument: { uri } });
const pos = (line: number, character: number) => ({ position: { line, character } });

describe('lsp over JSON-RPC, in process', () => {
  it('announces its capabilities', () => {
    const caps = client.initialized!.capabilities;
    expect(caps.hoverProvider).toBe(true);
    expect(caps.renameProvider).toEqual({ prepareProvider: true });
    expect(caps.semanticTokensProvider?.legend.tokenTypes).toContain('parameter');
    expect(client.initialized!.serverInfo?.name).toBe('spinal');
  });

  it('publishes the error as the document opens, and clears it when fixed', async () => {
    const first = await client.open(URI, BROKEN);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ code: 'SPN003', severity: 1, source: 'spinal', range: { start: { line: 4, character: 4 }, end: { line: 4, character: 9 } } });
    expect(first[0].message).toBe("unknown keyword 'widht'\nhint: did you mean 'width'?");
    expect(await client.change(URI, FIXED)).toEqual([]);
  });

  it('follows incremental edits: typing a character re-publishes', async () => {
    const next = client.nextDiagnostics(URI);
    await client.insert(URI, 7, 10, '0');   // output 4 -> output 40
    expect(await next).toEqual([]);
    const lens = await client.request<CodeLens[]>('textDocument/codeLens', doc(URI));
    expect(lens[0].command!.title).toMatch(/^[\d,]+ MACs · [\d,]+ parameters · [\d.]+x the dense baseline's MACs$/);
    const again = client.nextDiagnostics(URI);
    await client.insert(URI, 7, 11, '$');
    expect((await again).map((d) => d.code)).toEqual(['SPN001']);
    await client.change(URI, FIXED);
  });

  it('hover, completion, definition, references', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { ...doc(URI), ...pos(2, 3) });
    expect((hover.contents as MarkupContent).value).toContain('24 features in 2 rows (12, 12) → 3 sub-layers × 8 = 24 features');
    const items = await client.request<CompletionItem[]>('textDocument/completion', { ...doc(URI), ...pos(4, 10) });
    expect(items.map((i) => i.label)).toEqual(['w']);
    const def = await client.request<Location>('textDocument/definition', { ...doc(URI), ...pos(4, 11) });
    expect(def).toEqual({ uri: URI, range: { start: { line: 0, character: 11 }, end: { line: 0, character: 12 } } });
    const refs = await client.request<Location[]>('textDocument/references', { ...doc(URI), ...pos(0, 11), context: { includeDeclaration: false } });
    expect(refs.map((r) => r.range.start)).toEqual([{ line: 4, character: 10 }]);
  });

  it('rename, with a refusal for a keyword', async () => {
    const prepared = await client.request<{ placeholder: string }>('textDocument/prepareRename', { ...doc(URI), ...pos(0, 8) });
    expect(prepared.placeholder).toBe('head');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...doc(URI), ...pos(4, 10), newName: 'width_' });
    const text = TextDocument.applyEdits(TextDocument.create(URI, 'spinal', 1, FIXED), edit.changes![URI]);
    expect(text).toContain('model head(width_ = 8)');
    expect(text).toContain('width width_');
    await expect(client.request('textDocument/rename', { ...doc(URI), ...pos(4, 10), newName: 'relu' })).rejects.toThrow("'relu' is a reserved keyword");
  });

  it('symbols, semantic tokens and formatting', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', doc(URI));
    expect(symbols.map((s) => s.name)).toEqual(['head']);
    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', doc(URI));
    expect(tokens.data.length % 5).toBe(0);
    expect(tokens.data.length / 5).toBe(24);
    const messy = 'file:///work/messy.spinal';
    await client.open(messy, 'model v=head(w=2)');
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { ...doc(messy), options: { tabSize: 2, insertSpaces: true } });
    expect(edits.map((e) => e.newText)).toEqual(['model v = head(w = 2)\n']);
  });

  it('keeps answering through a document typed one character at a time', async () => {
    const uri = 'file:///work/typed.spinal';
    await client.open(uri, '');
    let line = 0;
    let character = 0;
    for (const ch of FIXED) {
      await client.insert(uri, line, character, ch);
      if (ch === '\n') { line++; character = 0; } else character++;
    }
    const final = await client.change(uri, FIXED);
    expect(final).toEqual([]);
    const hover = await client.request<Hover>('textDocument/hover', { ...doc(uri), ...pos(0, 8) });
    expect((hover.contents as MarkupContent).value).toContain('**model head** (w = 8)');
    expect(client.logs.filter((l) => /failed/.test(l))).toEqual([]);
  });
});
