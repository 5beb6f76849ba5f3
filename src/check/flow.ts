// The dataflow of a model body: which values each statement reads (`from a, b`, or the statement
// before it) and what its own value is called (`a = ...`). Reports unknown and duplicate names,
// inputs and values nothing reads, and cycles (LANGUAGE.md, "Several inputs and named values").
import type * as A from '../syntax/ast.js';
import { nearest } from '../diagnostics/edit-distance.js';
import { part } from '../diagnostics/wording.js';
import { UNNAMED_INPUT, type FlowSpec } from './spec.js';
import type { Reporter } from './report.js';

/** Per statement of the body (inputs included): what it reads and what its value is called. */
export type Flows = ReadonlyMap<A.Stmt, FlowSpec>;

/** The value name of the k-th statement (from 0) when the source gives it none. */
function anonymous(k: number): string {
  return `#${k + 1}`;
}

/**
 * The flows of a model's body; every problem is reported, and the flows are still returned.
 * `ordered`: the inputs come first and the output last (else what reads what is moot, and
 * values left unread are not reported).
 */
export function linkFlow(def: A.ModelDef, ordered: boolean, report: Reporter): Flows {
  const body = def.body;
  const inputs = body.filter((s) => s.kind === 'input');
  // Several inputs: each needs a name, so that statements can say which they read. Several
  // unnamed ones are a repeated 'input' (SPN022, reported with the other statement rules).
  if (inputs.length > 1 && inputs.some((i) => i.name)) {
    for (const i of inputs) if (!i.name) report.error('SPN077', i.range, { count: inputs.length });
  }
  const output = body.find((s) => s.kind === 'output');
  if (output?.name) report.error('SPN076', output.name.range, { name: output.name.name });

  const declared = declare(def, report);
  const flows = new Map<A.Stmt, FlowSpec>();
  const valueOf = (stmt: A.Stmt, k: number): string =>
    stmt.name?.name ?? (stmt.kind === 'input' && inputs.length === 1 ? UNNAMED_INPUT : anonymous(k));
  body.forEach((stmt, k) => {
    const value = valueOf(stmt, k);
    if (stmt.kind === 'input') {
      flows.set(stmt, { value, reads: [], from: false });
    } else if (stmt.from) {
      flows.set(stmt, { value, reads: resolveFrom(stmt.from, def, declared, report), from: true });
    } else {
      // The chain: the value of the statement before (none before the first: SPN020/SPN021).
      const before = k > 0 ? body[k - 1] : undefined;
      flows.set(stmt, { value, reads: before && before.kind !== 'output' ? [valueOf(before, k - 1)] : [], from: false });
    }
  });
  reportCycles(body, flows, report);
  if (ordered) reportUnread(body, flows, report);
  return flows;
}

/** The named statements, each name once (SPN071 for a repeat or a parameter's name). */
function declare(def: A.ModelDef, report: Reporter): Map<string, A.Stmt> {
  const params = new Map(def.params.map((p) => [p.name.name, p]));
  const declared = new Map<string, A.Stmt>();
  for (const stmt of def.body) {
    if (!stmt.name || stmt.kind === 'output') continue;
    const name = stmt.name.name;
    const first = declared.get(name)?.name;
    const param = params.get(name);
    if (first) report.error('SPN071', stmt.name.range, { name, line: first.range.start.line }, { message: 'value' });
    else if (param) report.error('SPN071', stmt.name.range, { name, line: param.name.range.start.line }, { message: 'parameter' });
    else declared.set(name, stmt);
  }
  return declared;
}

function resolveFrom(from: A.FromClause, def: A.ModelDef, declared: ReadonlyMap<string, A.Stmt>, report: Reporter): string[] {
  const reads: string[] = [];
  for (const ref of from.names) {
    if (reads.includes(ref.name)) {
      report.error('SPN075', ref.range, { name: ref.name });
    } else if (!declared.has(ref.name)) {
      // Suggest only names this list could still take.
      const candidates = [...declared.keys()].filter((n) => !from.names.some((r) => r.name === n));
      const guess = nearest(ref.name, candidates);
      const names = [...declared.keys()].map((n) => `'${n}'`).join(', ');
      report.error('SPN070', ref.range, { name: ref.name, model: def.name.name, names, ...(guess !== undefined ? { guess } : {}) },
        { hint: guess !== undefined ? 'didYouMean' : declared.size > 0 ? 'values' : 'none' });
    } else {
      reads.push(ref.name);
    }
  }
  return reads;
}

/** Each cycle once, at its first statement in source order, with the path of what reads what. */
function reportCycles(body: readonly A.Stmt[], flows: Flows, report: Reporter): void {
  const byValue = new Map([...flows].map(([stmt, f]) => [f.value, stmt]));
  const state = new Map<A.Stmt, 'open' | 'done'>();
  for (const start of body) {
    if (state.has(start)) continue;
    // Iterative depth-first search over reads: a chain of 100,000 statements must not overflow
    // the stack. Meeting an 'open' statement again closes a cycle.
    const stack: { stmt: A.Stmt; next: number }[] = [{ stmt: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const read = flows.get(top.stmt)!.reads[top.next++];
      if (read === undefined) {
        state.set(top.stmt, 'done');
        stack.pop();
        continue;
      }
      const dep = byValue.get(read)!;
      if (state.get(dep) === 'open') {
        // The members each read the next, the last reads the first: start the path at the
        // member written first.
        const members = stack.slice(stack.findIndex((s) => s.stmt === dep)).map((s) => s.stmt);
        const at = members.reduce((best, s, i) => (body.indexOf(s) < body.indexOf(members[best]) ? i : best), 0);
        const path = [...members.slice(at), ...members.slice(0, at), members[at]].map((s) => flows.get(s)!.value);
        report.error('SPN074', members[at].name?.range ?? members[at].range, { name: path[0], path: path.join(' -> ') });
      } else if (!state.has(dep)) {
        state.set(dep, 'open');
        stack.push({ stmt: dep, next: 0 });
      }
    }
  }
}

/** Inputs (SPN072) and values (SPN073) that nothing reads; the output is the model's result. */
function reportUnread(body: readonly A.Stmt[], flows: Flows, report: Reporter): void {
  const read = new Set<string>();
  for (const f of flows.values()) for (const r of f.reads) read.add(r);
  for (const stmt of body) {
    const { value } = flows.get(stmt)!;
    if (stmt.kind === 'output' || read.has(value)) continue;
    const range = stmt.name?.range ?? stmt.range;
    if (stmt.kind === 'input') {
      report.error('SPN072', range, { name: value });
    } else {
      const what = stmt.name ? part('SPN073', 'named', { name: stmt.name.name }) : part('SPN073', 'unnamed', { kind: stmt.kind });
      report.error('SPN073', range, { what });
    }
  }
}
