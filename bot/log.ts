import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import pino from 'pino';

/** A small structured logger: what the code logs through. pino writes it (one JSON object per line, on stderr). */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** The request a log line belongs to: the HTTP adapter sets it, and every line logged while serving it carries it. */
export const requestContext = new AsyncLocalStorage<{ requestId: string; platform?: string }>();

/** LOG_LEVEL values. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Field names whose values are never written, wherever they appear: a second
 * line of defence, since nothing should log a secret, a token or a message
 * body in the first place.
 */
const REDACT = ['authorization', 'token', 'password', 'secret', 'signingSecret', 'botToken', 'appToken', 'MicrosoftAppPassword', 'text', 'body', 'summary', 'cookie', 'databaseUrl', 'DATABASE_URL', 'connectionString']
  .flatMap((k) => [k, `*.${k}`]);

/**
 * pino, writing synchronously to stderr so a line is never lost to a crash.
 * Each line has `time` (ISO), `level` (a word), `msg`, the request id and
 * platform when it is logged while serving a request, and the fields given.
 */
export function jsonLogger(opts: { quiet?: boolean; level?: (typeof LOG_LEVELS)[number]; destination?: pino.DestinationStream } = {}): Logger & { pino: pino.Logger } {
  const p = pino({
    level: opts.level ?? (opts.quiet ? 'warn' : 'info'),
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // A copy: pino merges each line's fields into what the mixin returns, which must not carry them to the next line.
    mixin: () => ({ ...requestContext.getStore() }),
    redact: { paths: REDACT, censor: '[redacted]' },
  }, opts.destination ?? pino.destination({ dest: 2, sync: true }));
  return {
    pino: p,
    info: (m, f) => p.info(f ?? {}, m),
    warn: (m, f) => p.warn(f ?? {}, m),
    error: (m, f) => p.error(f ?? {}, m),
  };
}

/**
 * Routes third-party console output and Node's process warnings into the
 * log, so an operator's log pipeline sees one format. Lines are cut at 500
 * characters: a library's debug output must not carry a whole payload.
 */
export function routeConsole(log: Logger & { pino?: pino.Logger }): void {
  const line = (args: unknown[]) => format(...args).slice(0, 500);
  console.log = (...a: unknown[]) => log.info(line(a), { source: 'console' });
  console.info = (...a: unknown[]) => log.info(line(a), { source: 'console' });
  console.debug = (...a: unknown[]) => log.pino?.debug({ source: 'console' }, line(a));
  console.warn = (...a: unknown[]) => log.warn(line(a), { source: 'console' });
  console.error = (...a: unknown[]) => log.error(line(a), { source: 'console' });
  process.removeAllListeners('warning');
  process.on('warning', (w) => log.warn('node warning', { name: w.name, warning: w.message.slice(0, 500), ...('code' in w ? { code: (w as { code?: string }).code } : {}) }));
}

/** An error's message without stack or request details, which may carry tokens. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
