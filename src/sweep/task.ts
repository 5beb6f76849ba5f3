// The contract between a job runner and the function it runs: a task takes one job (a plain,
// structured-cloneable value) and gives one result. The local worker-thread pool runs it, and a
// distributed worker runs the very same function.

export interface TaskContext<P> {
  /** Reports how far the job is (forwarded to the runner's progress display). */
  progress(p: P): void;
}

export type Task<J, R, P = never> = (job: J, context: TaskContext<P>) => Promise<R>;

/** What a task module exports: its task under this name. */
export interface TaskModule<J, R, P = never> {
  readonly task: Task<J, R, P>;
}

/** An error as it crosses a thread or a process: its class name, message and stack. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  return { name: 'Error', message: String(e) };
}

/**
 * The URL of a module next to `base` (an `import.meta.url`), with the extension of `base`: `.ts`
 * when running from source (tests), `.js` from dist/.
 */
export function siblingModule(name: string, base: string): URL {
  const ext = base.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`${name}${ext}`, base);
}
