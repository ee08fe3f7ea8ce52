import { Webhook } from 'standardwebhooks';

/** Signs an intake request the way a source does (Standard Webhooks), with the given id and timestamp. */
export function intakeHeaders(secret: string, id: string, raw: string, opts: { source?: string; at?: Date } = {}): Record<string, string> {
  const at = opts.at ?? new Date();
  return {
    'content-type': 'application/json',
    'x-bluedesk-source': opts.source ?? 'orlo',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': id ? new Webhook(secret).sign(id, at, raw) : '',
  };
}

/** Raises through the signed intake API and returns the answer. */
export async function raiseViaIntake(url: string, secret: string, id: string, body: unknown): Promise<{ status: number; json: any }> {
  const raw = JSON.stringify(body);
  const res = await fetch(`${url}/api/v1/escalations`, { method: 'POST', headers: intakeHeaders(secret, id, raw), body: raw });
  return { status: res.status, json: await res.json() };
}
