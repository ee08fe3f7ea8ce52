/**
 * Why a platform call did not deliver. The message is in plain words, for
 * cards and people (what it means and what will happen); `detail` keeps the
 * platform's own answer for the log. The kind is one of three the outbox acts on:
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
    /** The platform's own words (an HTTP status and message, an error code), for the log. */
    readonly detail?: string,
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
 * Classifies any error a gateway threw, in words for people: `platform` is
 * the platform's name ("Teams"). Adapters throw `DeliveryFailure` themselves
 * for what only they can recognise (Slack's `not_in_channel`, a person who
 * has not opened the app); everything else is judged by HTTP status or
 * network error code.
 */
export function classifyFailure(err: unknown, platform = 'The platform'): DeliveryFailure {
  if (err instanceof DeliveryFailure) return err;
  const e = (err ?? {}) as Record<string, unknown>;
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (status !== undefined) {
    const detail = `HTTP ${status}: ${message}`;
    if (status === 429) return new DeliveryFailure('retry', `${platform} is limiting how fast Bluedesk may send; trying again shortly`, retryAfterOf(e), status, detail);
    if (RETRYABLE.has(status)) return new DeliveryFailure('retry', `${platform} is not answering properly (HTTP ${status}); trying again`, retryAfterOf(e), status, detail);
    // A user the connector cannot find yet may appear once their directory sync lands: retried a few times, then dead.
    if (status === 404) return new DeliveryFailure('retry', `${platform} does not know that chat or channel (HTTP 404)`, undefined, 404, detail);
    if (status === 403) return new DeliveryFailure('permanent', `${platform} refused: Bluedesk is not allowed to post there (HTTP 403). Add the app there again, then replay it from the dead-letter list`, undefined, status, detail);
    return new DeliveryFailure('permanent', `${platform} refused it (HTTP ${status}); the log has the detail`, undefined, status, detail);
  }
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK.test(code) || NETWORK.test(message) || NETWORK.test(String((e.cause as { code?: string } | undefined)?.code ?? ''))) {
    return new DeliveryFailure('retry', `${platform} cannot be reached; trying again`, undefined, undefined, `network: ${message}`);
  }
  return new DeliveryFailure('permanent', `${platform} could not take it; the log has the detail`, undefined, undefined, message);
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
