import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { problem, type IntakeApi, type IntakeResponse, type IntakeSource } from '../../bot/app/intake.ts';
import type { Logger } from '../../bot/log.ts';

/** Largest intake body accepted. */
export const MAX_INTAKE_BYTES = 256 * 1024;
/** Requests signed longer ago than this (or this far in the future) are refused, against replay. */
export const MAX_SKEW_SECONDS = 300;

/** The signature a source sends: `v1=` + hex HMAC-SHA256(secret, "v1:{timestamp}:{raw body}"). */
export function intakeSignature(secret: string, timestamp: string, rawBody: string): string {
  return 'v1=' + createHmac('sha256', secret).update(`v1:${timestamp}:${rawBody}`).digest('hex');
}

/**
 * POST /api/v1/escalations. Reads the raw body (the signature covers the
 * exact bytes), checks the source's HMAC signature and timestamp in constant
 * time, then hands over to the intake API.
 */
export function intakeEndpoint(
  intake: IntakeApi,
  sources: Array<IntakeSource & { secret: string }>,
  log: Logger,
  now: () => number = Date.now,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const answer = await (async (): Promise<IntakeResponse> => {
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return problem(415, 'Send the escalation as application/json.');
      const raw = await readLimited(req, MAX_INTAKE_BYTES);
      if (raw === undefined) return problem(413, `The body is larger than ${MAX_INTAKE_BYTES} bytes.`);
      const source = sources.find((s) => s.id === header(req, 'x-bluedesk-source'));
      const timestamp = header(req, 'x-bluedesk-timestamp');
      const signature = header(req, 'x-bluedesk-signature');
      const refuse = (why: string) => {
        log.warn('intake request refused', { reason: why, source: header(req, 'x-bluedesk-source').slice(0, 50) });
        return problem(401, 'The request is not signed by a known source, or is too old.');
      };
      if (!source) return refuse('unknown source');
      if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) return refuse('stale or missing timestamp');
      const expected = Buffer.from(intakeSignature(source.secret, timestamp, raw));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('bad signature');
      return intake.handle({ id: source.id, name: source.name }, header(req, 'idempotency-key'), raw);
    })();
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      ...(answer.status === 201 || answer.status === 200 ? { location: `/api/v1/escalations/${(answer.body as { id: string }).id}` } : {}),
    });
    res.end(JSON.stringify(answer.body));
  };
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

/** The whole body as text, or undefined once it passes the limit. */
async function readLimited(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
