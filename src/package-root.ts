// The package's own files (package.json, templates/, .cache/), found from this module by walking
// up to the folder whose package.json is spinal's: the module sits at a different depth in src/,
// in dist/ and in the bundled command line (dist/cli-bundle/).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  readonly name?: string;
  readonly version: string;
}

function findRoot(from: string): { root: string; manifest: PackageJson } {
  for (let dir = from; ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
      if (manifest.name === 'spinal') return { root: dir, manifest };
    }
    if (dirname(dir) === dir) throw new Error(`spinal's package.json not found above '${from}'`);
  }
}

const found = findRoot(dirname(fileURLToPath(import.meta.url)));

export const PACKAGE_ROOT = found.root;

/** The version in package.json, so the CLI and generated code never disagree with it. */
export const VERSION = found.manifest.version;
