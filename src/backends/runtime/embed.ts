// The runtime generated TypeScript modules carry, as text: files of this folder and the weights
// loader (src/runtime/safetensors-loader.ts, shared with ir/ and weights/), verbatim. They
// are read from the package (package.json lists them), so what ships inside generated code is
// what the compiler type-checks and the tests import.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';

export const LOADER_PATH = 'src/runtime/safetensors-loader.ts';
export const TFJS_HELPERS_PATH = 'src/backends/runtime/tfjs-helpers.ts';
/** Where the tfjs helpers' embedded part begins: after their imports, which the module has. */
const TFJS_HELPERS_MARKER = '// ---- the tfjs helpers ';

const texts = new Map<string, string>();

function text(path: string): string {
  let t = texts.get(path);
  if (t === undefined) {
    t = readFileSync(join(PACKAGE_ROOT, path), 'utf8').trimEnd() + '\n';
    texts.set(path, t);
  }
  return t;
}

/** The weights loader's source, ending with one line break. */
export function loaderSource(): string {
  return text(LOADER_PATH);
}

/** The tfjs helpers' source from their marker on, ending with one line break. */
export function tfjsHelpersSource(): string {
  const whole = text(TFJS_HELPERS_PATH);
  return whole.slice(whole.indexOf(TFJS_HELPERS_MARKER));
}

/** What a tfjs module carries after its own code: the helpers, then the loader. */
export function tfjsRuntimeSource(): string {
  return `${tfjsHelpersSource()}\n${loaderSource()}`;
}
