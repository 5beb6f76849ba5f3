// Two builds that differ in every file, and a check that a folder holds exactly one of them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmittedFile } from '../../src/backends/backend.js';
import { MANIFEST_NAME, readManifest } from '../../src/output/index.js';
import { hashBytes } from '../../src/output/manifest.js';

/** A build's files: a module, a shader, weights and a nested header, each naming its build. */
export function filesOf(variant: string): EmittedFile[] {
  return [
    { path: 'model.ts', contents: `export const build = '[[${variant}]]';\n` },
    { path: 'model.wgsl', contents: `// build [[${variant}]]\n` },
    { path: 'model.safetensors', contents: new TextEncoder().encode(`weights [[${variant}]] `.repeat(64)) },
    { path: 'include/model.hpp', contents: `// build [[${variant}]]\n` },
  ];
}

/** Which build the folder holds whole ('a' or 'b'), or a description of what is wrong with it. */
export function wholeBuild(dir: string): string {
  const manifest = readManifest(dir);
  const found = new Set<string>();
  for (const file of filesOf('a')) {
    const bytes = readFileSync(join(dir, file.path));
    if (manifest.files[file.path] !== hashBytes(bytes)) return `${file.path} does not match ${MANIFEST_NAME}`;
    const text = new TextDecoder().decode(bytes);
    found.add(/\[\[(\w+)\]\]/.exec(text)?.[1] ?? `nothing in ${file.path}`);
  }
  return found.size === 1 ? [...found][0] : `a mix of builds ${[...found].sort().join(' and ')}`;
}
