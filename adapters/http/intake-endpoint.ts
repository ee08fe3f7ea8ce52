import { SettingsError } from '../../bot/config/settings.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { problem, type IntakeApi, type IntakeResponse, type IntakeSource } from '../../bot/app/intake.ts';
import type { Logger } from '../../bot/log.ts';
import { header, readLimited } from './body.ts';

/** Largest intake body accepted. */
export const MAX_INTAKE_BYTES = 256 * 1024;

/** A source as configured: its id and name, and every secret it may sign with (more than one while rotating). */
export interface SignedSource extends IntakeSource {
  secrets: string[];
}

/**
 * POST /api/v1/escalations, signed the Standard Webhooks way: `webhook-signature`
 * is `v1,` + base64 HMAC-SHA256 (key: the base64 part of the source's
 * `whsec_…` secret) of `{webhook-id}.{webhook-timestamp}.{raw body}`; several
 * space-separated signatures may be sent. The timestamp must be within 5
 * minutes either way. Because the id is signed, `webhook-id` is also the
 * idempotency key: a captured request cannot be replayed under a new one.
 */
export function intakeEndpoint(intake: IntakeApi, sources: SignedSource[], log: Logger): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const verifiers = new Map(sources.map((s) => [s.id, { source: s, hooks: s.secrets.map((k) => new Webhook(k)) }]));
  return async (req, res) => {
    let unread = false;
    const answer = await (async (): Promise<IntakeResponse> => {
      if (!/^application\/json\b/i.test(header(req, 'content-type'))) {
        unread = true;
        return problem(415, 'Send the escalation as application/json.');
      }
      const body = await readLimited(req, MAX_INTAKE_BYTES);
      if (body === undefined) {
        unread = true;
        return problem(413, `The body is larger than ${MAX_INTAKE_BYTES} bytes.`);
      }
      const raw = body.toString('utf8');
      const sourceId = header(req, 'x-bluedesk-source');
      const known = verifiers.get(sourceId);
      const refuse = (why: string) => {
        log.warn('intake request refused', { reason: why, source: sourceId.slice(0, 50) });
        return problem(401, 'The request is not signed by a known source, or its timestamp is more than 5 minutes from now.');
      };
      if (!known) return refuse('unknown source');
      const signed = { 'webhook-id': header(req, 'webhook-id'), 'webhook-timestamp': header(req, 'webhook-timestamp'), 'webhook-signature': header(req, 'webhook-signature') };
      let why = 'no signature';
      const ok = known.hooks.some((hook) => {
        try {
          hook.verify(raw, signed, { jsonParse: false });
          return true;
        } catch (err) {
          why = (err as Error).message;
          return false;
        }
      });
      if (!ok) return refuse(why);
      return intake.handle({ id: known.source.id, name: known.source.name }, signed['webhook-id'], raw);
    })();
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      ...(answer.status === 201 || answer.status === 200 ? { location: `/api/v1/escalations/${(answer.body as { id: string }).id}` } : {}),
      // A body we did not read would be taken as the next request on a kept-alive connection.
      ...(unread ? { connection: 'close' } : {}),
    });
    res.end(JSON.stringify(answer.body));
  };
}

/** Checks a configured intake secret list: one or more `whsec_…` secrets, separated by spaces or commas. */
export function parseIntakeSecrets(value: string): string[] | undefined {
  const secrets = value.split(/[\s,]+/).filter(Boolean);
  if (!secrets.length) return undefined;
  for (const s of secrets) {
    try {
      if (!s.startsWith('whsec_')) return undefined;
      new Webhook(s);
    } catch {
      return undefined;
    }
  }
  return secrets;
}

/**
 * The intake sources the force config names, each with its secrets from the
 * environment: a source without a secret, or with one that is not a Standard
 * Webhooks secret, stops start-up naming the setting.
 */
export function intakeSourcesFrom(sources: ReadonlyArray<{ id: string; name: string; secretEnv: string }>, secrets: Record<string, string>) {
  return sources.map((src) => {
    const value = secrets[src.secretEnv];
    if (!value) throw new SettingsError(`Missing required setting: ${src.secretEnv} (the secret of intake source "${src.id}")`);
    const parsed = parseIntakeSecrets(value);
    if (!parsed) throw new SettingsError(`${src.secretEnv} must be one or more Standard Webhooks secrets ("whsec_" and base64), separated by spaces while rotating`);
    return { id: src.id, name: src.name, secrets: parsed };
  });
}
