// Models whose names differ only in case, built into one folder: never one file overwriting
// the other, on any file system. The second build is refused, --force or not, and the first
// build's files stay byte for byte as they were.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { scratch } from '../support/scratch.js';

const root = scratch('case');
const spinal = join(root, 'nets.spinal');
writeFileSync(spinal, 'model Net { input 4 dense 3 output 2 }\nmodel net { input 5 output 2 }\n');

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'base64')]));
}

describe.each(['tfjs', 'wgsl', 'onnx', 'cpp'])('spinal build --target %s of Net and net into one folder', (target) => {
  it('refuses the second, --force or not, and leaves the first as it was', async () => {
    const out = join(root, target);
    const weights = (model: string) => {
      const path = join(root, `${model}.safetensors`);
      return target === 'onnx' ? ['--weights', path] : [];
    };
    for (const model of ['Net', 'net']) expect((await run('init', spinal, '--model', model, '--seed', '1', '--force', '--out', join(root, `${model}.safetensors`))).code).toBe(0);
    const first = await run('build', spinal, '--model', 'Net', '--target', target, '--out', out, ...weights('Net'));
    expect(first.code, first.stderr).toBe(0);
    const before = snapshot(out);
    for (const force of [[], ['--force']]) {
      const second = await run('build', spinal, '--model', 'net', '--target', target, '--out', out, ...weights('net'), ...force);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/^spinal: '.*net\.\w+' differs from '.*Net\.\w+' only in case; on a case-insensitive file system/);
      expect(snapshot(out)).toEqual(before);
    }
  });
});
