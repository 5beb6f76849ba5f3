// Builds the extension for packaging: the grammar copied from the repository's grammar/ (its
// one source), the TypeScript checked, and the extension bundled into one CommonJS file with
// vscode-languageclient inside (the package ships no node_modules).
import { copyFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
mkdirSync(`${here}syntaxes`, { recursive: true });
copyFileSync(`${here}../../grammar/spinal.tmLanguage.json`, `${here}syntaxes/spinal.tmLanguage.json`);
execFileSync(process.execPath, [`${here}node_modules/typescript/bin/tsc`, '-p', here], { stdio: 'inherit' });
await build({
  absWorkingDir: here,
  entryPoints: ['src/extension.ts'],
  outfile: 'out/extension.js',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  external: ['vscode'],
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
