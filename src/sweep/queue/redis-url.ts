// A Redis URL as `--queue` takes it: redis://[user:pass@]host:port[/db], or rediss:// for TLS.
// The password goes into the connection options and nowhere else: what is shown of the URL
// (logs, errors) never holds it, and messages from the connection are scrubbed of it.
import { option } from '../../diagnostics/option.js';

export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
  /** The URL without its password, for messages: `redis://user@host:port/db`. */
  readonly display: string;
}

/** A URL that is not one of ours; the message never repeats the text it was given. */
export class RedisUrlError extends Error {
  override readonly name = 'RedisUrlError';
}

const FORM = 'redis://[user:password@]host:port[/db] (or rediss:// for TLS)';

/**
 * Parses `text`; a password missing from the URL is taken from `fallbackPassword` (the
 * environment's SPINAL_REDIS_PASSWORD), so that it need not appear on a command line.
 */
export function parseRedisUrl(text: string, fallbackPassword?: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RedisUrlError(`${option('queue')} takes a Redis URL: ${FORM}`);
  }
  const tls = url.protocol === 'rediss:';
  if (!tls && url.protocol !== 'redis:') throw new RedisUrlError(`${option('queue')} takes a Redis URL, not ${url.protocol.replace(/:$/, '')}: ${FORM}`);
  if (url.hostname === '') throw new RedisUrlError(`the Redis URL names no host: ${FORM}`);
  if (url.search !== '' || url.hash !== '') throw new RedisUrlError(`the Redis URL takes no query or fragment: ${FORM}`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) throw new RedisUrlError(`the Redis URL's database is a number (/0, /1, ...): ${FORM}`);
  const db = path === '' ? 0 : Number(path);
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const given = url.password === '' ? undefined : decodeURIComponent(url.password);
  const password = given ?? (fallbackPassword === '' ? undefined : fallbackPassword);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const display = `${tls ? 'rediss' : 'redis'}://${username !== undefined ? `${encodeURIComponent(username)}@` : ''}${shownHost}:${port}/${db}`;
  return { host, port, db, ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}), tls, display };
}

/** Options for an ioredis connection to `target`, as BullMQ wants them (no retry limit per command). */
export function connectionOptions(target: RedisTarget): Record<string, unknown> {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username !== undefined ? { username: target.username } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.tls ? { tls: { servername: target.host } } : {}),
    maxRetriesPerRequest: null,
    // Reconnect quickly at first, then every 2 s at most.
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
}

/** `text` with every occurrence of the password (raw or URL-encoded) replaced by ***. */
export function scrub(text: string, target: Pick<RedisTarget, 'password'>): string {
  const secret = target.password;
  if (secret === undefined || secret === '') return text;
  let out = text;
  for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  return out;
}
