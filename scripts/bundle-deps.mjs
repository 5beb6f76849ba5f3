// Replaces the compiled output of src/syntax/chevrotain.ts in dist/ with one bundled, minified
// module holding the parts of chevrotain the parser uses, so the command line starts quickly.
// Runs after tsc in `npm run build`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['src/syntax/chevrotain.ts'],
  outfile: 'dist/syntax/chevrotain.js',
  allowOverwrite: true,
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  legalComments: 'eof',
  logLevel: 'warning',
});
