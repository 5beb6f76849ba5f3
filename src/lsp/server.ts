// The language server: documents kept in sync, each version analysed once, every request
// answered from that analysis. A failure inside a request is logged and answered with nothing,
// so that a bug shows up in the log, never as a server that stops answering.
import {
  LSPErrorCodes, ResponseError, TextDocuments, TextDocumentSyncKind,
  type Connection, type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from './analysis.js';
import {
  codeLenses, completion, definition, diagnostics, documentSymbols, formatting, hover, prepareRename, references, rename,
} from './features.js';
import { LEGEND, semanticTokens } from './semantic-tokens.js';

export const SERVER_NAME = 'spinal';

export function startServer(connection: Connection, version: string): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new WeakMap<TextDocument, Analysis>();

  const analysis = (uri: string): { doc: TextDocument; a: Analysis } | undefined => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    let a = cache.get(doc);
    if (!a || a.text !== doc.getText()) {
      a = new Analysis(uri, doc.getText());
      cache.set(doc, a);
    }
    return { doc, a };
  };

  /** Runs a request's work; a throw is logged and answered with `fallback`. */
  const guarded = <P extends { textDocument: { uri: string } }, R>(what: string, fallback: R, work: (doc: TextDocument, a: Analysis, p: P) => R) => (p: P): R => {
    try {
      const found = analysis(p.textDocument.uri);
      return found ? work(found.doc, found.a, p) : fallback;
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      connection.console.error(`${what} failed on ${p.textDocument.uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };

  connection.onInitialize((): InitializeResult => ({
    serverInfo: { name: SERVER_NAME, version },
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: [' ', '(', ',', ':', '='] },
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      semanticTokensProvider: { legend: LEGEND, full: true },
      documentFormattingProvider: true,
      codeLensProvider: { resolveProvider: false },
    },
  }));

  const publish = (uri: string): void => {
    const found = analysis(uri);
    if (!found) return;
    let diags: ReturnType<typeof diagnostics>;
    try {
      diags = diagnostics(found.a, found.doc);
    } catch (e) {
      connection.console.error(`diagnostics failed on ${uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      diags = [];
    }
    void connection.sendDiagnostics({ uri, version: found.doc.version, diagnostics: diags });
  };
  documents.onDidChangeContent((e) => publish(e.document.uri));
  documents.onDidClose((e) => void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));

  connection.onHover(guarded('hover', null, (doc, a, p) => hover(a, doc, doc.offsetAt(p.position))));
  connection.onCompletion(guarded('completion', [], (doc, a, p) => completion(a, doc.offsetAt(p.position))));
  connection.onDefinition(guarded('definition', null, (doc, a, p) => definition(a, doc, doc.offsetAt(p.position))));
  connection.onReferences(guarded('references', [], (doc, a, p) => references(a, doc, doc.offsetAt(p.position), p.context.includeDeclaration)));
  connection.onPrepareRename(guarded('prepareRename', null, (doc, a, p) => prepareRename(a, doc, doc.offsetAt(p.position))));
  connection.onRenameRequest(guarded('rename', null, (doc, a, p) => {
    const r = rename(a, doc, doc.offsetAt(p.position), p.newName);
    if ('refused' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.refused);
    return r;
  }));
  connection.onDocumentSymbol(guarded('documentSymbol', [], (doc, a) => documentSymbols(a, doc)));
  connection.languages.semanticTokens.on(guarded('semanticTokens', { data: [] }, (doc, a) => semanticTokens(a, doc)));
  connection.onDocumentFormatting(guarded('formatting', [], (doc) => formatting(doc)));
  connection.onCodeLens(guarded('codeLens', [], (doc, a) => codeLenses(a, doc)));

  documents.listen(connection);
  connection.listen();
}
