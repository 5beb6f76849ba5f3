// The page: a CodeMirror editor whose text the worker compiles as it changes (diagnostics in
// the editor, the comparison table, the picture and the code tabs follow), and a run panel that
// executes the generated code here, on WebGPU where the browser offers it and with tfjs
// otherwise, next to the interpreter's numbers.
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { syntaxHighlighting, defaultHighlightStyle, bracketMatching } from '@codemirror/language';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { spinalLanguage } from './language.js';
import { runModel, type RunResult } from './run.js';
import type { Analysis, Request, Response, RunInputs } from './protocol.js';
import type { ModelReport } from '../../src/report/model-report.js';
import EXAMPLE from '../../samples/three_rows.spinal';

const $ = <T extends HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const int = (n: number): string => INTEGER.format(n);

// ---------------------------------------------------------------- the worker

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
let nextId = 1;
const pending = new Map<number, (r: Response) => void>();
worker.onmessage = (e: MessageEvent<Response>) => {
  pending.get(e.data.id)?.(e.data);
  pending.delete(e.data.id);
};
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
function ask(req: WithoutId<Request>): Promise<Response> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ ...req, id });
  });
}

// ---------------------------------------------------------------- the editor

let selected: string | undefined;
let latest: Analysis | undefined;

async function analyze(view: EditorView): Promise<Diagnostic[]> {
  const text = view.state.doc.toString();
  $('#status').textContent = 'compiling…';
  const res = await ask({ kind: 'analyze', text, ...(selected ? { model: selected } : {}) });
  if (res.kind !== 'analysis') {
    $('#status').textContent = res.kind === 'failure' ? `internal error: ${res.message}` : '';
    return [];
  }
  if (view.state.doc.toString() !== text) return []; // a newer edit is on its way
  show(res);
  return res.diagnostics.map((d) => ({ from: d.from, to: Math.min(d.to, view.state.doc.length), severity: d.severity, message: `${d.code}: ${d.message}`, source: d.code }));
}

const view = new EditorView({
  parent: $('#editor'),
  state: EditorState.create({
    doc: EXAMPLE,
    extensions: [
      lineNumbers(), history(), highlightActiveLine(), bracketMatching(),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      spinalLanguage, syntaxHighlighting(defaultHighlightStyle),
      linter(analyze, { delay: 150 }), lintGutter(),
    ],
  }),
});
(window as unknown as { spinalEditor: EditorView }).spinalEditor = view;

// ---------------------------------------------------------------- what the analysis shows

function show(a: Analysis): void {
  latest = a;
  selected = a.selected;
  const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = a.diagnostics.length - errors;
  $('#status').textContent = `${a.models.length} model${a.models.length === 1 ? '' : 's'} compiled, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  $('#problems').replaceChildren(...a.diagnostics.map((d) => {
    const line = view.state.doc.lineAt(Math.min(d.from, view.state.doc.length));
    const p = document.createElement('div');
    p.className = d.severity;
    p.textContent = `${line.number}:${d.from - line.from + 1}: ${d.severity}[${d.code}]: ${d.message}`;
    return p;
  }));
  $('#macs-table').querySelector('tbody')!.replaceChildren(...a.models.map(modelRow));
  const select = $<HTMLSelectElement>('#model-select');
  select.replaceChildren(...a.models.map((m) => new Option(m.name, m.name, false, m.name === a.selected)));
  const report = a.models.find((m) => m.name === a.selected);
  $('#layers-table').querySelector('tbody')!.replaceChildren(...(report?.layers ?? []).map((l) => row([l.layer, `${int(l.inFeatures)} → ${int(l.outFeatures)}`, int(l.macs), int(l.parameters)])));
  $('#graph').innerHTML = a.svg ?? '';
  $('#code-tfjs').textContent = a.code?.tfjs ?? '';
  $('#code-wgsl').textContent = a.code?.wgsl ?? '';
  $('#code-cpp').textContent = a.code?.cpp ?? '';
}

function modelRow(m: ModelReport): HTMLTableRowElement {
  const settings = Object.entries(m.params).map(([k, v]) => `${k}=${v}`).join(' ');
  const tr = row([m.name, settings, int(m.macs), int(m.parameters), int(m.baseline.macs), `${m.ratio.toFixed(3)}x`]);
  tr.dataset.model = m.name;
  return tr;
}

function row(cells: readonly string[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    td.textContent = c;
    tr.append(td);
  }
  return tr;
}

$<HTMLSelectElement>('#model-select').addEventListener('change', (e) => {
  selected = (e.target as HTMLSelectElement).value;
  void analyze(view).then((diagnostics) => diagnostics);
});

for (const tab of document.querySelectorAll<HTMLButtonElement>('#tabs button')) {
  tab.addEventListener('click', () => {
    for (const t of document.querySelectorAll<HTMLButtonElement>('#tabs button')) t.setAttribute('aria-selected', String(t === tab));
    for (const p of document.querySelectorAll<HTMLElement>('.panel')) p.hidden = p.dataset.panel !== tab.dataset.tab;
  });
}

// ---------------------------------------------------------------- the run panel

$('#run-button').addEventListener('click', () => void runSelected());

async function runSelected(): Promise<void> {
  const status = $('#run-status');
  if (!latest?.selected) {
    status.textContent = 'nothing to run: no model compiles';
    return;
  }
  status.textContent = 'running…';
  status.className = '';
  delete status.dataset.agree;
  delete status.dataset.backend;
  const seed = Number($<HTMLInputElement>('#run-seed').value) || 0;
  const batch = Math.max(1, Math.min(64, Number($<HTMLInputElement>('#run-batch').value) || 1));
  const res = await ask({ kind: 'run', text: view.state.doc.toString(), model: latest.selected, seed, batch });
  if (res.kind !== 'run-inputs') {
    status.textContent = res.kind === 'failure' ? `cannot run: ${res.message}` : '';
    return;
  }
  try {
    const target = $<HTMLSelectElement>('#run-target').value === 'tfjs' ? 'tfjs' : 'auto';
    showRun(res, await runModel(res, target));
  } catch (e) {
    status.textContent = `the generated code failed: ${e instanceof Error ? e.message : String(e)}`;
    status.className = 'bad';
  }
}

/** float32 against the float64 interpreter: the tolerance of `spinal verify`. */
const TOLERANCE = 1e-4;

function showRun(inputs: RunInputs, result: RunResult): void {
  const rows: HTMLTableRowElement[] = [];
  let worst = 0;
  for (let s = 0; s < inputs.batch; s++) {
    for (let o = 0; o < inputs.outputSize; o++) {
      const i = s * inputs.outputSize + o;
      const got = result.outputs[i];
      const want = inputs.expected[i];
      const diff = Math.abs(got - want);
      worst = Math.max(worst, diff / Math.max(1, Math.abs(want)));
      rows.push(row([String(s), String(o), got.toPrecision(7), want.toPrecision(7), diff.toExponential(2)]));
    }
  }
  $('#run-table').querySelector('tbody')!.replaceChildren(...rows);
  // What was fed: each input's rows, drawn at random from the seed.
  $('#run-inputs').replaceChildren(...inputs.inputs.map((i) => {
    const item = document.createElement('li');
    item.dataset.input = i.name;
    item.textContent = `${i.name} [${inputs.batch} × ${i.size}]: ${[...i.x.slice(0, 3)].map((v) => v.toFixed(3)).join(', ')}${i.x.length > 3 ? ', …' : ''}`;
    return item;
  }));
  const status = $('#run-status');
  const agree = worst <= TOLERANCE;
  status.textContent = `${inputs.model} on ${result.backend}: ${agree ? 'agrees with' : 'differs from'} the interpreter (largest relative difference ${worst.toExponential(2)}, tolerance ${TOLERANCE})`;
  status.className = agree ? 'ok' : 'bad';
  status.dataset.backend = result.backend;
  status.dataset.agree = String(agree);
}
