// `spinal playground` as a user starts it: a child process serving dist/web/ on a free port,
// files only from inside that folder, stopped by Ctrl-C with exit 0.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../support/samples.js';

const ROOT = join(SAMPLES_DIR, '..');

describe('spinal playground', () => {
  it('serves the page and its scripts, nothing outside dist/web, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['bin/spinal.js', 'playground', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        stdout += b.toString();
        const m = /spinal playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
    });
    try {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('<div id="editor">');
      const script = await fetch(`${url}worker.js`);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await fetch(`${url}..%2f..%2fpackage.json`)).status).toBe(403);
      expect((await fetch(`${url}nope.js`)).status).toBe(404);
      expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const [code] = await exited;
      expect(code).toBe(0);
    }
  });

  it('refuses a port that is no port', async () => {
    const child = spawn(process.execPath, ['bin/spinal.js', 'playground', '--port', '70000'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('expected a port from 0 to 65535');
  });
});
