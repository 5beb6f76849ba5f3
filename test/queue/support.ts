// What the queue tests share: their own redis-server on a free loopback port (stopped by PID),
// `spinal worker` and `spinal macs` as real processes from the sources, each killed after the
// test file even when a test fails, and a tiny model and data set.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { startCli } from '../support/cli-process.js';

export interface RedisServer {
  readonly port: number;
  readonly pid: number;
  readonly url: string;
  /** Stops the server (SIGKILL: nothing is saved, as after a crash) and waits for it to exit. */
  kill(): Promise<void>;
}

const servers = new Set<ChildProcess>();
const processes = new Set<ChildProcess>();

afterAll(async () => {
  for (const child of [...processes, ...servers]) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await Promise.all([...processes, ...servers].map(exited));
});

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** PEM files for a TLS server: its certificate and key, and the CA that signed it. */
export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

/**
 * Starts redis-server without persistence on `port` (a free one by default) and waits until it
 * answers PING; with `tls`, it listens for TLS only.
 */
export async function startRedis(options: { port?: number; password?: string; tls?: TlsFiles } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const args = options.tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.cert, '--tls-key-file', options.tls.key, '--tls-ca-cert-file', options.tls.ca, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  args.push('--bind', '127.0.0.1', '--save', '', '--appendonly', 'no');
  if (options.password !== undefined) args.push('--requirepass', options.password);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  servers.add(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
    if (await answers(port, options.tls)) break;
    if (i > 100) throw new Error(`redis-server did not answer on port ${port}: ${output}`);
    await sleep(50);
  }
  return {
    port,
    pid: child.pid!,
    url: `redis://127.0.0.1:${port}`,
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}

/** Whether something on the port answers PING like Redis (an auth error counts). */
function answers(port: number, tls?: TlsFiles): Promise<boolean> {
  return new Promise((resolve) => {
    const ping = () => socket.write('PING\r\n');
    const socket = tls ? tlsConnect({ port, host: '127.0.0.1', servername: 'localhost', ca: readFileSync(tls.ca) }, ping) : new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('error', () => done(false));
    if (!tls) socket.connect(port, '127.0.0.1', ping);
    socket.once('data', (d: Buffer) => done(/^(\+PONG|-NOAUTH)/.test(d.toString())));
  });
}

/** A CA and a server certificate for localhost and 127.0.0.1 signed by it, made with openssl in `dir`. */
export function makeTlsFiles(dir: string): TlsFiles {
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=spinal test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=localhost');
  writeFileSync(at('san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('server.pem'), '-days', '2', '-extfile', at('san.cnf'));
  return { cert: at('server.pem'), key: at('server.key'), ca: at('ca.pem') };
}

export interface Running {
  readonly child: ChildProcess;
  /** Everything printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once `pattern` appears in the output (rejects if the process ends first). */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Ends with the exit code, signal and output. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** `spinal ARGS` as a process from the sources, killed after the test file at the latest. */
export function spinal(args: readonly string[], env: NodeJS.ProcessEnv = {}): Running {
  const { child, done } = startCli(args, { env });
  processes.add(child);
  let text = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = w.pattern.exec(text);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  const append = (d: Buffer) => {
    text += d.toString();
    check();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  return {
    child,
    output: () => text,
    waitFor: (pattern) => new Promise((resolve, reject) => {
      const m = pattern.exec(text);
      if (m) return resolve(m);
      waiters.push({ pattern, resolve });
      void done.then(() => setTimeout(() => reject(new Error(`ended before ${pattern}:\n${text}`)), 50));
    }),
    done,
  };
}

/** A worker on `url`; fast stalled-run recovery so a test need not wait 30 s for it. */
export function startWorker(url: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Running {
  return spinal(['worker', '--queue', url, '--concurrency', '1', '--lock-duration', '1500', '--stalled-interval', '500', ...extra], env);
}

/** Stops a worker as Ctrl-C does and waits for it to end. */
export async function stop(running: Running): Promise<void> {
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGTERM');
  await running.done;
}

/** The processes alive whose environment marks them as sandboxed children of worker `pid`. */
export function childrenOfWorker(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      if (env.some((v) => v.startsWith('SPINAL_WORKER_NAME=') && v.endsWith(`:${pid}`))) found.push(Number(entry));
    } catch { /* gone meanwhile, or not ours */ }
  }
  return found;
}

export const TINY_MODEL = [
  'model tiny(w = 4) {', '  input 6', '  spinal {', '    width w', '    layers 2', '  }', '  output 3', '}', '',
].join('\n');

/** 100 samples of 6 features in three classes, from a fixed LCG. */
export function tinyCsv(path: string, salt = 0): string {
  let state = 4321 + salt;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
  const lines = ['f0,f1,f2,f3,f4,f5,label'];
  for (let n = 0; n < 100; n++) {
    const x = Array.from({ length: 6 }, next);
    const a = x[0] + x[1];
    lines.push(`${x.map((v) => v.toFixed(4)).join(',')},${a > 0.15 ? 0 : a < -0.15 ? 1 : 2}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function workerDir(dir: string): string {
  return join(dir, 'cache');
}
