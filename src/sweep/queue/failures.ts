// How a queued run's failure reads in Redis: a word naming its kind, a colon, the message. The
// sweep's side maps the kinds to the user's problems (exit 1); any other failure is a bug.

export const FAILURE = {
  /** The training job refused the user's inputs (data that do not fit, a diverging run). */
  job: 'JobError',
  /** The worker cannot take the run: another spinal version, data it cannot match. */
  refused: 'Refused',
  /** The payload is not a queued run. */
  malformed: 'Malformed',
} as const;

/** What the worker process tells its sandboxed children. */
export const WORKER_ENV = { name: 'SPINAL_WORKER_NAME', cache: 'SPINAL_WORKER_CACHE' } as const;

export interface Failure {
  readonly kind: 'JobError' | 'Refused' | 'Malformed' | 'internal';
  readonly message: string;
}

export function readFailure(reason: string): Failure {
  for (const kind of [FAILURE.job, FAILURE.refused, FAILURE.malformed]) {
    if (reason.startsWith(`${kind}: `)) return { kind, message: reason.slice(kind.length + 2) };
  }
  return { kind: 'internal', message: reason };
}
