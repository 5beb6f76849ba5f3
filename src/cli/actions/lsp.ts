// `spinal lsp`'s work: serve until the client says exit or closes the connection.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../../lsp/server.js';
import { VERSION } from '../../package-root.js';
import type { Io } from '../io.js';

export async function lsp(_io: Io): Promise<void> {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  const closed = new Promise<void>((resolve) => {
    connection.onExit(() => resolve());
    process.stdin.on('end', () => resolve());
  });
  startServer(connection, VERSION);
  await closed;
}
