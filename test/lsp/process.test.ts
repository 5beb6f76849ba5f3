// `spinal lsp` as an editor starts it: a child process (node bin/spinal.js lsp --stdio over
// dist/, built by `npm test`) spoken to in JSON-RPC over its standard input and output, shut
// down and exited as the protocol says.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { CodeLens, Hover, MarkupContent, TextEdit } from 'vscode-languageserver';
import { spawned } from './client.js';

describe('spinal lsp, spawned', () => {
  it('answers over stdio: diagnostics, hover, code lens, formatting; then shutdown and exit with 0', async () => {
    const { client, child, stderr } = spawned();
    try {
      const init = await client.initialize();
      expect(init.serverInfo?.name).toBe('spinal');
      const uri = 'file:///tmp/spawned.spinal';
      const diags = await client.open(uri, 'model m(w = 4) {\n  input 8\n  spinal { split 1:1 width w layers 2 }\n  output 3 relux\n}\n');
      expect(diags.map((d) => d.code)).toEqual(['SPN003']);
      expect(diags[0].message).toBe("unknown keyword 'relux'\nhint: did you mean 'relu'?");
      expect(await client.change(uri, 'model m(w = 4) {\n  input 8\n  spinal { split 1:1 width w layers 2 }\n  output 3 relu\n}\n')).toEqual([]);
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 3 } });
      expect((hover.contents as MarkupContent).value).toBe('**output** (output): 8 → 3 features\n\n24 MACs · 27 parameters');
      const lens = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      expect(lens.map((l) => l.command!.title)).toEqual(["72 MACs · 83 parameters · 0.818x the dense baseline's MACs"]);
      const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
      expect(edits[0].newText).toContain('  spinal {\n    split 1:1\n    width w\n    layers 2\n  }\n');
      await client.request('shutdown', {});
      const exited = once(child, 'exit');
      await client.connection.sendNotification('exit');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(stderr()).toBe('');
    } finally {
      client.dispose();
    }
  });
});
