import { describe, expect, it } from 'vitest';
import { JobFailedError, PoolAbortedError, runPool } from '../../src/sweep/local-pool.js';
import type { ArithJob, ArithResult } from './fixtures/arith-task.js';

const TASK = new URL('./fixtures/arith-task.ts', import.meta.url);
const label = (job: ArithJob, i: number) => `job ${i} (n=${job.n})`;

function pool(jobs: ArithJob[], workers: number, extra: { signal?: AbortSignal; onProgress?: (i: number, v: number) => void; onResult?: (i: number, r: ArithResult) => void } = {}) {
  return runPool<ArithJob, ArithResult, number>({ task: TASK, jobs, workers, label, ...extra });
}

const activeWorkers = () => process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort').length;

describe('local worker pool', () => {
  // Later jobs finish first, so results arrive out of order.
  const jobs: ArithJob[] = [5, 4, 3, 2, 1, 0].map((d, n) => ({ n, seed: BigInt(n) + 2n ** 63n, delayMs: d * 15 }));

  it('runs a task module on worker threads (TypeScript through tsx) and returns results in job order', async () => {
    const before = activeWorkers();
    const finished: number[] = [];
    const progress: [number, number][] = [];
    let busy = 0;
    const results = await pool(jobs, 3, {
      onResult: (i) => finished.push(i),
      onProgress: (i, v) => {
        progress.push([i, v]);
        busy = Math.max(busy, activeWorkers());
      },
    });
    expect(busy).toBeGreaterThan(before);
    expect(results.map((r) => r.square)).toEqual([0, 1, 4, 9, 16, 25]);
    // bigints cross the thread boundary both ways
    expect(results.map((r) => r.seed)).toEqual(jobs.map((j) => j.seed * 2n));
    expect(new Set(results.map((r) => r.thread)).size).toBeGreaterThan(1);
    expect(results.every((r) => r.thread !== 0)).toBe(true);
    expect([...finished].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(progress.filter(([, v]) => v === 1).map(([i]) => i).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(activeWorkers()).toBe(before);
  });

  it('gives the same results for one thread and for several', async () => {
    const one = await pool(jobs, 1);
    const two = await pool(jobs, 2);
    expect(one.map((r) => [r.square, r.seed])).toEqual(two.map((r) => [r.square, r.seed]));
    expect(new Set(one.map((r) => r.thread)).size).toBe(1);
  });

  it('an empty job list needs no thread', async () => {
    expect(await pool([], 4)).toEqual([]);
  });

  it('a failing job rejects naming the job and the error, and stops the other threads', async () => {
    const before = activeWorkers();
    const failing = [{ n: 1, seed: 1n, hang: true }, { n: 2, seed: 2n, fail: 'labels out of range in y.npy' }, { n: 3, seed: 3n, hang: true }];
    const error = await pool(failing, 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).message).toBe('job 1 (n=2): labels out of range in y.npy');
    expect((error as JobFailedError).failure.name).toBe('BadInputError');
    expect((error as JobFailedError).index).toBe(1);
    expect(activeWorkers()).toBe(before);
  });

  it('a thread that dies is reported with its job', async () => {
    const error = await pool([{ n: 0, seed: 0n }, { n: 7, seed: 1n, exit: true }], 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('job 1 (n=7): the worker thread exited unexpectedly (code 3)');
  });

  it('aborting stops every thread and rejects with how far it got', async () => {
    const before = activeWorkers();
    const controller = new AbortController();
    const running = pool([{ n: 1, seed: 1n }, { n: 2, seed: 2n, hang: true }, { n: 3, seed: 3n, hang: true }], 2, {
      signal: controller.signal,
      onResult: () => controller.abort(),
    });
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolAbortedError);
    expect((error as PoolAbortedError).message).toBe('stopped after 1 of 3 runs');
    expect(activeWorkers()).toBe(before);
  });

  it('a task module that does not load is an error, not a hang', async () => {
    const error = await runPool({ task: new URL('./fixtures/no-such-task.ts', import.meta.url), jobs: [1], workers: 1, label: () => 'job' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/worker thread failed to start: .*no-such-task/);
  });
});
