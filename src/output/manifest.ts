// The record of what spinal wrote into an output folder: each file's path and a hash of its
// bytes. A file in the folder that is not listed, or whose bytes no longer match (someone
// edited it), is not spinal's to overwrite without --force.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MANIFEST_NAME = '.spinal-manifest.json';

export interface Manifest {
  /** Path relative to the folder -> sha256 of its bytes, hex. */
  readonly files: Readonly<Record<string, string>>;
}

export function hashBytes(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The folder's manifest; none (an empty one) when it is missing or unreadable, so nothing counts as ours. */
export function readManifest(dir: string): Manifest {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST_NAME), 'utf8');
  } catch {
    return { files: {} };
  }
  try {
    const parsed = JSON.parse(text) as { files?: unknown };
    const files = parsed.files;
    if (typeof files !== 'object' || files === null || Array.isArray(files)) return { files: {} };
    const entries = Object.entries(files).filter((e): e is [string, string] => typeof e[1] === 'string');
    return { files: Object.fromEntries(entries) };
  } catch {
    return { files: {} };
  }
}

export function manifestText(manifest: Manifest): string {
  const files = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ generator: 'spinal', note: 'files spinal wrote here; it overwrites only these, unless --force', files }, null, 2)}\n`;
}
