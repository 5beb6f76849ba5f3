// Builds the playground into dist/web/: the page, its script and the compiler's web worker
// (esbuild, code-split so the code generators load when a code tab first needs them), and
// tfjs-core with its CPU backend as one module that generated code imports through the page's
// import map. Runs in `npm run build`, after tsc. Modules of src/ that import Node built-ins get
// the stand-ins of web/shims/; templates/, the runtime of generated TypeScript and package.json are
// embedded as files.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'web');

const SHIMS = {
  'node:fs': 'web/shims/node-fs.ts',
  'node:path': 'web/shims/node-path.ts',
  'node:url': 'web/shims/node-url.ts',
  'node:os': 'web/shims/node-os.ts',
  'node:buffer': 'web/shims/node-buffer.ts',
  'node:crypto': 'web/shims/node-crypto.ts',
};

function filesUnder(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

function embeddedFiles() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const files = { '/package.json': JSON.stringify({ name: manifest.name, version: manifest.version }) };
  for (const f of [...filesUnder('templates'), 'src/runtime/safetensors-loader.ts', 'src/backends/runtime/tfjs-helpers.ts']) files[`/${relative(root, join(root, f)).split('\\').join('/')}`] = readFileSync(join(root, f), 'utf8');
  return `export const FILES = ${JSON.stringify(files)};`;
}

const browserStandIns = {
  name: 'browser-stand-ins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      const shim = SHIMS[args.path] ?? (args.importer.includes('node_modules') ? 'web/shims/unused.ts' : undefined);
      if (!shim) return { errors: [{ text: `${args.path} has no stand-in in the playground (imported by ${relative(root, args.importer)})` }] };
      return { path: join(root, shim) };
    });
    b.onResolve({ filter: /^spinal:embedded-files$/ }, () => ({ path: 'embedded-files', namespace: 'spinal' }));
    b.onLoad({ filter: /.*/, namespace: 'spinal' }, () => ({ contents: embeddedFiles(), loader: 'js' }));
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'vendor'), { recursive: true });

const common = { absWorkingDir: root, bundle: true, minify: true, format: 'esm', target: 'chrome120', legalComments: 'linked', logLevel: 'warning' };

await build({
  ...common,
  entryPoints: { main: 'web/src/main.ts', worker: 'web/src/worker.ts' },
  outdir: out,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'browser',
  external: ['@tensorflow/tfjs-core'],
  loader: { '.spinal': 'text' },
  plugins: [browserStandIns],
});

await build({ ...common, entryPoints: { tfjs: 'web/src/tfjs.ts' }, outdir: join(out, 'vendor'), platform: 'browser' });

for (const f of ['index.html', 'style.css']) copyFileSync(join(root, 'web', f), join(out, f));
