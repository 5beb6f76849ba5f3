// The runtime every generated TypeScript module carries, as text: safetensors-loader.ts from
// this folder, verbatim. It is read from the package (package.json lists the file), so what
// ships inside generated code is the file the compiler type-checks and the tests import.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';

export const LOADER_PATH = 'src/backends/runtime/safetensors-loader.ts';

let loader: string | undefined;

/** The weights loader's source, ending with one line break. */
export function loaderSource(): string {
  loader ??= readFileSync(join(PACKAGE_ROOT, LOADER_PATH), 'utf8').trimEnd() + '\n';
  return loader;
}
