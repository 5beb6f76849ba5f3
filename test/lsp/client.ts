// A language client for tests, over vscode-jsonrpc: connected in-process to a server on a pair
// of streams, or to `spinal lsp` in a child process over its stdio. It keeps the diagnostics
// the server publishes and lets a test wait for those of a document's next version.
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection, StreamMessageReader as ServerReader, StreamMessageWriter as ServerWriter } from 'vscode-languageserver/node';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver';
import { startServer } from '../../src/lsp/server.js';
import { SAMPLES_DIR } from '../support/samples.js';

export const ROOT = join(SAMPLES_DIR, '..');

export class Client {
  private readonly published = new Map<string, Diagnostic[]>();
  private readonly waiting = new Map<string, { version: number; resolve: (d: Diagnostic[]) => void }[]>();
  private readonly versions = new Map<string, number>();
  /** Messages the server logged (window/logMessage). */
  readonly logs: string[] = [];
  initialized: InitializeResult | undefined;

  constructor(readonly connection: MessageConnection, private readonly close: () => void) {
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.set(p.uri, p.diagnostics);
      const list = this.waiting.get(p.uri) ?? [];
      for (const w of list.filter((x) => (p.version ?? 0) >= x.version)) w.resolve(p.diagnostics);
      this.waiting.set(p.uri, list.filter((x) => (p.version ?? 0) < x.version));
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => { this.logs.push(p.message); });
    connection.listen();
  }

  async initialize(): Promise<InitializeResult> {
    this.initialized = await this.connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} }) as InitializeResult;
    await this.connection.sendNotification('initialized', {});
    return this.initialized;
  }

  request<R>(method: string, params: object): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** The diagnostics the server publishes for the next version of `uri` (or a later one). */
  nextDiagnostics(uri: string): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    return new Promise((resolve) => {
      const list = this.waiting.get(uri) ?? [];
      list.push({ version, resolve });
      this.waiting.set(uri, list);
    });
  }

  /** Opens a document and returns its first diagnostics. */
  async open(uri: string, text: string): Promise<Diagnostic[]> {
    this.versions.set(uri, 0);
    const next = this.nextDiagnostics(uri);
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'spinal', version: 1, text } });
    return next;
  }

  /** Replaces the whole text, as an editor does on a change, and returns the new diagnostics. */
  async change(uri: string, text: string): Promise<Diagnostic[]> {
    const next = this.nextDiagnostics(uri);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return next;
  }

  /** Types one character at a position (an incremental change), without waiting. */
  async insert(uri: string, line: number, character: number, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const at = { line, character };
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text }] });
  }

  dispose(): void {
    this.connection.dispose();
    this.close();
  }
}

/** A server in this process, on streams. */
export function inProcess(): Client {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  // Reader and writer rather than streams: given streams, the library exits the process when they end.
  const server = createConnection(new ServerReader(toServer), new ServerWriter(toClient));
  startServer(server, 'test');
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  return new Client(client, () => {
    server.dispose();
    toServer.end();
    toClient.end();
  });
}

/** `node bin/spinal.js lsp` (over dist/, built by `npm test`), talking over its stdio. */
export function spawned(): { client: Client; child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, ['bin/spinal.js', 'lsp', '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const client = new Client(connection, () => { if (child.exitCode === null) child.kill(); });
  return { client, child, stderr: () => stderr };
}
