// The pipeline points one way (ARCHITECTURE.md): a lower layer never imports a higher one. Each
// rule names a folder of src/ and the folders its files must not import from.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

/** Every module specifier of a file: static imports, re-exports and dynamic imports. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\bfrom\s*'([^']+)'|\bimport\s*\(?\s*'([^']+)'/g)) found.push(m[1] ?? m[2]!);
  return found;
}

/** The folders of src/ that a file's relative imports land in (`syntax`, `weights`, ...). */
function importedFolders(file: string, text: string): string[] {
  return specifiers(text)
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(SRC, resolve(dirname(file), s)).split(/[\\/]/)[0]!);
}

function sources(folder: string): string[] {
  return readdirSync(join(SRC, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(SRC, folder, f));
}

const RULES: Record<string, readonly string[]> = {
  diagnostics: ['syntax', 'check', 'ir', 'weights', 'backends'],
  tensor: ['syntax', 'check', 'ir', 'weights', 'backends'],
  ir: ['weights', 'backends', 'cli'],
  weights: ['backends', 'cli'],
};

describe('dependencies point one way', () => {
  for (const [folder, forbidden] of Object.entries(RULES)) {
    it(`src/${folder} imports nothing from ${forbidden.join(', ')}`, () => {
      const files = sources(folder);
      expect(files.length).toBeGreaterThan(0);
      const wrong = files.flatMap((file) =>
        importedFolders(file, readFileSync(file, 'utf8'))
          .filter((f) => forbidden.includes(f))
          .map((f) => `${relative(SRC, file)} imports from ${f}/`),
      );
      expect(wrong).toEqual([]);
    });
  }

  it('the runtime embedded into generated code imports nothing', () => {
    for (const file of sources('runtime')) expect(specifiers(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('reads the import lines it is given', () => {
    const file = join(SRC, 'ir', 'example.ts');
    const text = "import type { Range } from '../syntax/ast.js';\nimport {\n  a,\n} from './graph.js';\nexport { b } from '../weights/tensor.js';\nconst c = await import('../backends/x.js');\nimport { d } from 'node:fs';\n";
    expect(importedFolders(file, text)).toEqual(['syntax', 'ir', 'weights', 'backends']);
  });
});
