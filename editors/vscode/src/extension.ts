// The extension: starts `spinal lsp` for .spinal files and hands it the documents. Everything
// the editor shows (diagnostics, hover, completion, rename, formatting, code lenses) comes from
// the language server; the highlighting comes from the TextMate grammar.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** The configured command; else the workspace's own spinal (an npm dependency); else the PATH's. */
function serverCommand(): string {
  const configured = workspace.getConfiguration('spinal').get<string>('server.command', '').trim();
  if (configured) return configured;
  for (const folder of workspace.workspaceFolders ?? []) {
    const local = join(folder.uri.fsPath, 'node_modules', '.bin', 'spinal');
    if (existsSync(local)) return local;
  }
  return 'spinal';
}

export async function activate(context: ExtensionContext): Promise<void> {
  const args = workspace.getConfiguration('spinal').get<string[]>('server.args', ['lsp', '--stdio']);
  const server: ServerOptions = { command: serverCommand(), args: args.filter((a) => a !== '--stdio'), transport: TransportKind.stdio };
  const options: LanguageClientOptions = {
    documentSelector: [{ language: 'spinal' }],
    synchronize: { fileEvents: workspace.createFileSystemWatcher('**/*.spinal') },
  };
  client = new LanguageClient('spinal', 'spinal language server', server, options);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
