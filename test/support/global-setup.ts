// Once per `vitest run`: a fresh folder where each C++ driver is compiled once and copied from
// then on (buildDriver's SPINAL_CXX_CACHE), for every test file and the commands they start.
// A SPINAL_CXX_CACHE set beforehand is kept, drivers and all, from one run to the next.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): (() => void) | undefined {
  if (process.env.SPINAL_CXX_CACHE) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'spinal-cxx-'));
  process.env.SPINAL_CXX_CACHE = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
