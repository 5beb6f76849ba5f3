// The messages between the page and the compiler's web worker.
import type { ModelReport } from '../../src/report/model-report.js';

export interface AnalyzeRequest {
  readonly kind: 'analyze';
  readonly id: number;
  readonly text: string;
  /** The model whose picture and code to make; the first one when absent or gone. */
  readonly model?: string;
}

export interface RunRequest {
  readonly kind: 'run';
  readonly id: number;
  readonly text: string;
  readonly model: string;
  readonly seed: number;
  readonly batch: number;
}

export type Request = AnalyzeRequest | RunRequest;

export interface PageDiagnostic {
  readonly from: number;
  readonly to: number;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
}

export interface Analysis {
  readonly kind: 'analysis';
  readonly id: number;
  readonly diagnostics: readonly PageDiagnostic[];
  readonly models: readonly ModelReport[];
  readonly selected?: string;
  /** The selected model drawn by Graphviz, as `spinal graph` draws it. */
  readonly svg?: string;
  /** The selected model's generated code, by tab. */
  readonly code?: { readonly tfjs: string; readonly wgsl: string; readonly cpp: string };
}

/** What the page needs to run the selected model and compare it with the interpreter. */
export interface RunInputs {
  readonly kind: 'run-inputs';
  readonly id: number;
  readonly model: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly batch: number;
  /** The batch packed: each row holds every input side by side, in the order declared. */
  readonly x: Float32Array;
  /** Each input by name, its size and its own [batch, size] rows (cut from `x`). */
  readonly inputs: readonly { readonly name: string; readonly size: number; readonly x: Float32Array }[];
  /** The reference interpreter's outputs (float64), [batch, outputSize]. */
  readonly expected: Float64Array;
  /** The initialized weights as a safetensors file. */
  readonly weights: Uint8Array;
  /** The generated modules, compiled to JavaScript. */
  readonly tfjsModule: string;
  readonly wgslModule: string;
}

export interface Failure {
  readonly kind: 'failure';
  readonly id: number;
  readonly message: string;
}

export type Response = Analysis | RunInputs | Failure;
