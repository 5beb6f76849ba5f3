// Scratch folders for a test file's outputs, under the system's temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A new folder `spinal-<prefix>-XXXXXX`, removed after the tests of the file (or describe) that
 * made it. Call it while tests are collected, never inside a test: vitest ignores an afterAll
 * registered while a test runs, and the folder would stay behind.
 */
export function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `spinal-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
