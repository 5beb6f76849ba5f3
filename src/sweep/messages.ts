// The messages between the local pool and its worker threads.
import type { SerializedError } from './task.js';

export interface WorkerData {
  /** URL of the module whose `task` export the worker runs. */
  readonly taskModule: string;
}

export interface ToWorker { readonly type: 'run'; readonly index: number; readonly job: unknown }

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly index: number; readonly value: unknown }
  | { readonly type: 'done'; readonly index: number; readonly result: unknown }
  | { readonly type: 'failed'; readonly index: number; readonly error: SerializedError };
