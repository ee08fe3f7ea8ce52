import { isValidSlackRequest } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import type { Logger } from '../../bot/log.ts';
import { header, readLimited } from '../http/body.ts';

/** Bolt's own limit for a Slack request body. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Slack's replay window, applied both ways (Bolt only refuses old requests). */
const MAX_SKEW_SECONDS = 300;

/**
 * The Slack edge, in front of Bolt: reads the body (refusing more than 4 MB
 * and closing the connection), checks the signature and that the timestamp
 * is within 5 minutes either way, and that the body has a shape Slack sends
 * (a JSON object with a type, an interactivity `payload` that is one, or a
 * slash command). Only then does Bolt see it, already read, so a signed body
 * such as `null` can never reach the code in Bolt that crashes on it.
 */
export function slackEdge(signingSecret: string, bolt: (req: IncomingMessage, res: ServerResponse) => void, log: Logger, handles: (body: SlackBody) => boolean, now: () => number = Date.now) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readLimited(req, MAX_BODY_BYTES);
    if (body === undefined) return answer(res, 413, 'The body is larger than Slack sends.', true);
    const text = body.toString('utf8');
    const signature = header(req, 'x-slack-signature');
    const timestamp = Number(header(req, 'x-slack-request-timestamp'));
    const signed = signature !== '' && Number.isFinite(timestamp) && isValidSlackRequest({ signingSecret, body: text, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp }, nowMilliseconds: now() });
    if (!signed || Math.abs(now() / 1000 - timestamp) > MAX_SKEW_SECONDS) {
      log.warn('slack request refused: not signed, or its timestamp is more than 5 minutes from now');
      return answer(res, 401, 'Not signed by Slack, or too far from now.');
    }
    const read = readSlackBody(text, header(req, 'content-type'));
    if ('problem' in read) {
      log.warn('slack request refused: not a shape Slack sends', { problem: read.problem });
      return answer(res, 400, read.problem);
    }
    // Bolt would hold a request no listener takes for 3 seconds before answering 404: it is acknowledged now.
    if (!handles(read)) {
      log.info('slack request acknowledged: nothing in Bluedesk handles it', { type: read.type });
      res.writeHead(200);
      res.end();
      return;
    }
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
    bolt(req, res);
  };
}

/** A signed body of a shape Slack sends: its `type` (`command` for a slash command, `ssl_check`), and the object itself. */
export interface SlackBody {
  type: string;
  payload: Record<string, unknown>;
}

/** Reads a signed body, or says why it is not something Slack sends. */
export function readSlackBody(text: string, contentType: string): SlackBody | { problem: string } {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (/^application\/json\b/i.test(contentType)) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { problem: 'The body is not valid JSON.' };
    }
    return isObject(json) && typeof json.type === 'string' ? { type: json.type, payload: json } : { problem: 'An event must be a JSON object with a type.' };
  }
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    const form = parseForm(text);
    if (form.ssl_check === '1') return { type: 'ssl_check', payload: {} };
    if (typeof form.payload === 'string') {
      try {
        const payload: unknown = JSON.parse(form.payload);
        return isObject(payload) && typeof payload.type === 'string' ? { type: payload.type, payload } : { problem: 'An interactivity payload must be a JSON object with a type.' };
      } catch {
        return { problem: 'The interactivity payload is not valid JSON.' };
      }
    }
    return typeof form.command === 'string' && typeof form.user_id === 'string' ? { type: 'command', payload: { ...form } } : { problem: 'A form body must be a slash command or an interactivity payload.' };
  }
  return { problem: 'Slack sends JSON or form-encoded bodies.' };
}

function answer(res: ServerResponse, status: number, message: string, close = false): void {
  res.writeHead(status, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) });
  res.end(JSON.stringify({ error: status === 401 ? 'unauthorized' : status === 413 ? 'too_large' : 'bad_request', message }));
}
