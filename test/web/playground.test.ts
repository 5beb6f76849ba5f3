// The playground in a real browser: Debian's chromium, headless, driven by playwright-core,
// against `spinal playground`'s server over the built dist/web/ (built by `npm test`). A user
// types a model with an error and sees the diagnostic, fixes it and sees the MAC table, runs it
// (WGSL on WebGPU through Chromium's SwiftShader adapter where it offers one, and tfjs) and gets
// the interpreter's numbers. A screenshot is kept in test/.out/ (ignored by git).
import { existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { servePlayground, PLAYGROUND_DIR, type RunningPlayground } from '../../src/cli/actions/playground.js';
import { compile } from '../../src/compile.js';
import { modelReport } from '../../src/report/model-report.js';
import { initWeights } from '../../src/weights/init.js';
import { Random } from '../../src/weights/prng.js';
import { interpret } from '../../src/ir/interpret.js';
import { int } from '../../src/report/format.js';
import { optimize } from '../../src/passes/optimize.js';
import { emitTfjs } from '../../src/backends/tfjs/index.js';
import { emitWgsl } from '../../src/backends/wgsl/index.js';
import { emitCppFiles } from '../../src/backends/cpp/index.js';
import { SAMPLES_DIR } from '../support/samples.js';

const ROOT = join(SAMPLES_DIR, '..');
const CHROMIUM = '/usr/bin/chromium';
const OUT = join(ROOT, 'test', '.out');

const TYPED = 'model head(w = 6) {\ninput 20\nspinal { split 1:1 widht w layers 3 }\noutput 4\n}\n';
const FIXED = TYPED.replace('widht', 'width');
const TWO_INPUTS = 'model two(w = 3) {\n  x = input 6\n  y = input 4\n  a = spinal from x {\n    width w\n    layers 2\n  }\n  b = dense 3 relu from y\n  output 2 from a, b\n}\n';

let server: RunningPlayground;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await servePlayground({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const external: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith(server.url) && !/^(data|blob):/.test(r.url())) external.push(r.url()); });
  await page.goto(server.url);
  await page.waitForSelector('#macs-table tbody tr');
  expect(external, 'nothing is fetched from the network').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Waits for the run status to settle and returns it. */
async function runWith(target: 'auto' | 'tfjs'): Promise<{ backend: string; agree: string; text: string; pageValues: number[] }> {
  await page.selectOption('#run-target', target);
  await page.click('#run-button');
  await page.waitForFunction(() => {
    const s = document.querySelector('#run-status') as HTMLElement;
    return s.dataset.agree !== undefined || /cannot|failed/.test(s.textContent ?? '');
  });
  const status = await page.$eval('#run-status', (s) => ({ backend: (s as HTMLElement).dataset.backend ?? '', agree: (s as HTMLElement).dataset.agree ?? '', text: s.textContent ?? '' }));
  const pageValues = await page.$$eval('#run-table tbody tr', (rows) => rows.map((r) => Number(r.children[2].textContent)));
  return { ...status, pageValues };
}

describe('playground in headless Chromium', () => {
  it('is built, and its sources type-check for the browser', () => {
    expect(existsSync(join(PLAYGROUND_DIR, 'index.html'))).toBe(true);
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'web', 'tsconfig.json')], { encoding: 'utf8' });
    expect(tsc.status, tsc.stdout).toBe(0);
  });

  it('a typed error shows as a diagnostic; the fix brings the MAC table', async () => {
    await page.click('.cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(TYPED);
    const problem = page.locator('#problems .error');
    await problem.waitFor();
    expect(await problem.textContent()).toBe("3:20: error[SPN003]: unknown keyword 'widht'\nhint: did you mean 'width'?");
    await page.locator('.cm-lintRange-error').first().waitFor();
    expect(await page.$$eval('#macs-table tbody tr', (rows) => rows.length)).toBe(0);

    // Select the misspelled word and type over it.
    const at = TYPED.indexOf('widht');
    await page.evaluate(([from, to]) => {
      const view = (window as unknown as { spinalEditor: { dispatch(t: object): void; focus(): void } }).spinalEditor;
      view.dispatch({ selection: { anchor: from, head: to } });
      view.focus();
    }, [at, at + 'widht'.length]);
    await page.keyboard.type('width');
    await page.waitForSelector('#macs-table tbody tr[data-model="head"]');
    expect(await page.$$eval('#problems > *', (p) => p.length)).toBe(0);
    const report = modelReport(compile({ path: 'x', text: FIXED }).models[0]);
    const cells = await page.$$eval('#macs-table tbody tr[data-model="head"] td', (tds) => tds.map((t) => t.textContent));
    expect(cells).toEqual(['head', 'w=6', int(report.macs), int(report.parameters), int(report.baseline.macs), `${report.ratio.toFixed(3)}x`]);
    const layers = await page.$$eval('#layers-table tbody tr', (rows) => rows.map((r) => r.children[0].textContent));
    expect(layers).toEqual(report.layers.map((l) => l.layer));
  });

  it('shows the network picture and the generated tfjs, WGSL and C++ code, the same as the command line makes', async () => {
    await page.click('button[data-tab="network"]');
    expect(await page.$eval('#graph svg', (svg) => svg.textContent)).toContain('spinal1');
    const graph = optimize(compile({ path: 'x', text: FIXED }).models[0].graph);
    const text = (c: string | Uint8Array): string => (typeof c === 'string' ? c : new TextDecoder().decode(c));
    await page.click('button[data-tab="tfjs"]');
    const tfjs = await page.textContent('#code-tfjs');
    expect(tfjs).toContain('export function load(weights: Uint8Array): Model');
    expect(tfjs).toBe(text(emitTfjs(graph)[0].contents));
    await page.click('button[data-tab="wgsl"]');
    const wgsl = await page.textContent('#code-wgsl');
    expect(wgsl).toContain('@compute');
    expect(wgsl).toBe(emitWgsl(graph).map((f) => `// ${f.path}\n${text(f.contents)}`).join('\n'));
    await page.click('button[data-tab="cpp"]');
    // The same header, down to the runtime's namespace (a SHA-256 of the runtime) and the version.
    expect(await page.textContent('#code-cpp')).toBe(text(emitCppFiles(graph)[0].contents));
  });

  it('runs the model in the page, next to the interpreter; WebGPU where Chromium gives an adapter, and tfjs', async () => {
    await page.click('button[data-tab="run"]');
    await page.fill('#run-seed', '7');
    await page.fill('#run-batch', '3');
    // The interpreter in Node, on the same seed: the numbers the page must show.
    const graph = compile({ path: 'x', text: FIXED }).models[0].graph;
    const random = Random.fromSeed(7n);
    const x = Float32Array.from({ length: graph.inputSize * 3 }, () => random.uniform(-1, 1));
    const expected = [...interpret(graph, initWeights(graph, 7), x, 3)];

    const hasAdapter = await page.evaluate(async () => Boolean(await (navigator as Navigator & { gpu?: GPU }).gpu?.requestAdapter()));
    const auto = await runWith('auto');
    expect(auto.agree, auto.text).toBe('true');
    expect(auto.backend).toMatch(hasAdapter ? /^WebGPU/ : /^tfjs/);
    expect(auto.pageValues).toHaveLength(expected.length);
    auto.pageValues.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected[i]))));
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'playground.png') });

    const tfjs = await runWith('tfjs');
    expect(tfjs.agree, tfjs.text).toBe('true');
    expect(tfjs.backend).toBe('tfjs (CPU backend)');
    tfjs.pageValues.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected[i]))));
    console.info(`playground run: ${auto.backend}; WebGPU adapter in headless Chromium: ${hasAdapter ? 'yes' : 'no'}`);
    expect(pageErrors).toEqual([]);
  });
  it('a model with several inputs: highlighted, counted, its code as the command line makes it, run with an input per input', async () => {
    await page.evaluate((text) => {
      const view = (window as unknown as { spinalEditor: { state: { doc: { length: number } }; dispatch(t: object): void } }).spinalEditor;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    }, TWO_INPUTS);
    await page.waitForSelector('#macs-table tbody tr[data-model="two"]');
    expect(await page.$$eval('#problems > *', (p) => p.length)).toBe(0);
    // `from` is a keyword like `input`; a value's name before its `=` is a declaration, like a parameter's.
    const spans = await page.$$eval('.cm-line span', (all) => all.map((s) => [s.textContent ?? '', s.className] as const));
    const classOf = (word: string): string | undefined => spans.find(([t]) => t === word)?.[1];
    expect(classOf('from')).toBe(classOf('input'));
    expect(classOf('x')).toBe(classOf('two'));
    expect(classOf('x')).not.toBe(classOf('from'));
    const compiled = compile({ path: 'x', text: TWO_INPUTS }).models[0];
    const report = modelReport(compiled);
    const cells = await page.$$eval('#macs-table tbody tr[data-model="two"] td', (tds) => tds.map((t) => t.textContent));
    expect(cells).toEqual(['two', 'w=3', int(report.macs), int(report.parameters), int(report.baseline.macs), `${report.ratio.toFixed(3)}x`]);

    await page.click('button[data-tab="network"]');
    expect(await page.$eval('#graph svg', (svg) => svg.textContent)).toContain('input y');
    const graph = optimize(compiled.graph);
    const text = (c: string | Uint8Array): string => (typeof c === 'string' ? c : new TextDecoder().decode(c));
    await page.click('button[data-tab="tfjs"]');
    expect(await page.textContent('#code-tfjs')).toBe(text(emitTfjs(graph)[0].contents));
    await page.click('button[data-tab="wgsl"]');
    expect(await page.textContent('#code-wgsl')).toBe(emitWgsl(graph).map((f) => `// ${f.path}\n${text(f.contents)}`).join('\n'));
    await page.click('button[data-tab="cpp"]');
    expect(await page.textContent('#code-cpp')).toBe(text(emitCppFiles(graph)[0].contents));

    await page.click('button[data-tab="run"]');
    await page.fill('#run-seed', '5');
    await page.fill('#run-batch', '2');
    const random = Random.fromSeed(5n);
    const x = Float32Array.from({ length: compiled.graph.inputSize * 2 }, () => random.uniform(-1, 1));
    const expected = [...interpret(compiled.graph, initWeights(compiled.graph, 5), x, 2)];
    for (const target of ['auto', 'tfjs'] as const) {
      const got = await runWith(target);
      expect(got.agree, got.text).toBe('true');
      expect(got.pageValues).toHaveLength(expected.length);
      got.pageValues.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected[i]))));
    }
    // Each input's own rows: x's first features are the packed row's first, y's follow x's 6.
    const fed = await page.$$eval('#run-inputs li', (items) => items.map((i) => i.textContent ?? ''));
    expect(fed).toEqual([
      `x [2 × 6]: ${[...x.slice(0, 3)].map((v) => v.toFixed(3)).join(', ')}, …`,
      `y [2 × 4]: ${[...x.slice(6, 9)].map((v) => v.toFixed(3)).join(', ')}, …`,
    ]);
    expect(pageErrors).toEqual([]);
  });
});
