// `spinal playground`'s work: a static file server for dist/web/ (built by `npm run build`) on
// a local address, until Ctrl-C. Only GET and HEAD of files inside that folder are answered.
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';
import { UserError } from '../errors.js';
import type { Io } from '../io.js';
import type { PlaygroundOptions } from '../playground.js';

export const PLAYGROUND_DIR = join(PACKAGE_ROOT, 'dist', 'web');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface RunningPlayground {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the built playground; resolves once it listens. */
export async function servePlayground(options: PlaygroundOptions, dir = PLAYGROUND_DIR): Promise<RunningPlayground> {
  if (!(await stat(join(dir, 'index.html')).catch(() => undefined))) {
    throw new UserError(`the playground is not built ('${join(dir, 'index.html')}' is missing): run npm run build`);
  }
  const server: Server = createServer((req, res) => {
    const answer = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'only GET and HEAD\n');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return answer(400, 'bad path\n');
    }
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (file !== dir && !file.startsWith(dir + sep)) return answer(403, 'outside the playground\n');
    readFile(file).then(
      (body) => answer(200, body, TYPES[extname(file)] ?? 'application/octet-stream'),
      () => answer(404, 'not found\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE'
      ? new UserError(`port ${options.port} is in use on ${options.host}: choose another with --port`)
      : e));
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export async function playground(options: PlaygroundOptions, io: Io): Promise<void> {
  const running = await servePlayground(options);
  io.out(`spinal playground: ${running.url} (Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
}
