// The package's own files (package.json, templates/, .cache/), found from this module: it sits one
// folder below the package root, in src/ and in dist/ alike.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The version in package.json, so the CLI and generated code never disagree with it. */
export const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
