/**
 * Why a platform call did not deliver, in the three ways the outbox acts on:
 * - `unreachable`: the place cannot take messages yet (a Teams channel the bot
 *   is not installed in, a Slack channel it is not in). The item waits until
 *   the place becomes reachable, however long that takes within its deadline.
 * - `retry`: a passing fault (429, 412, 5xx, network). Tried again with backoff.
 * - `permanent`: retrying cannot help (403, a removed conversation). Dead-lettered.
 */
export class DeliveryFailure extends Error {
  override name = 'DeliveryFailure';

  constructor(
    readonly kind: 'unreachable' | 'retry' | 'permanent',
    message: string,
    /** The platform's Retry-After, when it gave one. */
    readonly retryAfterMs?: number,
    /** HTTP status, when there was one. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Statuses worth another try: throttled, precondition failed (a concurrent update), timeouts and gateway trouble. */
const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);
/** Network failures Node reports by code rather than by status. */
const NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR|socket hang up|fetch failed|network/i;

/** Reads a Retry-After header (seconds, or an HTTP date) from whatever shape an SDK error has. */
function retryAfterOf(err: Record<string, unknown>): number | undefined {
  const response = err.response as { headers?: { get?: (k: string) => string | null | undefined } & Record<string, unknown> } | undefined;
  const raw = response?.headers?.get?.('retry-after') ?? (response?.headers?.['retry-after'] as string | undefined);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(String(raw));
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/**
 * Classifies any error a gateway threw. Adapters throw `DeliveryFailure`
 * themselves for what only they can recognise (Slack's `not_in_channel`);
 * everything else is judged by HTTP status or network error code.
 */
export function classifyFailure(err: unknown): DeliveryFailure {
  if (err instanceof DeliveryFailure) return err;
  const e = (err ?? {}) as Record<string, unknown>;
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (status !== undefined) {
    if (RETRYABLE.has(status)) return new DeliveryFailure('retry', `HTTP ${status}: ${message}`, retryAfterOf(e), status);
    // A user the connector cannot find yet may appear once their directory sync lands: retried a few times, then dead.
    if (status === 404) return new DeliveryFailure('retry', `HTTP 404: ${message}`, undefined, 404);
    return new DeliveryFailure('permanent', `HTTP ${status}: ${message}`, undefined, status);
  }
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK.test(code) || NETWORK.test(message) || NETWORK.test(String((e.cause as { code?: string } | undefined)?.code ?? ''))) {
    return new DeliveryFailure('retry', `network: ${message}`);
  }
  return new DeliveryFailure('permanent', message);
}

/** Backoff: 1 s doubling to 5 min, with jitter. */
const BASE_MS = 1000;
const MAX_BACKOFF_MS = 5 * 60_000;
/** How often a place that could not be reached is tried again even without a sign that it can be now. */
const RECHECK_WAITING_MS = 5 * 60_000;

/** How long to wait before the next attempt after this failure (the `attempts`-th). */
export function retryInMs(f: DeliveryFailure, attempts: number): number {
  if (f.kind === 'unreachable') return RECHECK_WAITING_MS;
  const backoff = Math.min(MAX_BACKOFF_MS, BASE_MS * 2 ** Math.min(attempts - 1, 20)) * (0.5 + Math.random());
  return Math.max(f.retryAfterMs ?? 0, backoff);
}
