import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { StateStore } from '../../data/state-store.ts';
import { Sweep } from '../../data/sweep.ts';
import { CATEGORIES, SOCIAL_PLATFORMS, type Escalation, type EscalationInput } from '../domain/escalation.ts';
import { KeyedLock } from '../domain/keyed-lock.ts';
import type { Actor } from '../domain/people.ts';
import { IndexTaken } from '../domain/record-keeper.ts';
import type { Raising } from './raising.ts';

/** How long idempotency keys are remembered. */
const KEEP_KEYS_MS = 7 * 24 * 60 * 60 * 1000;
/** How often old keys are looked for. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/** A signed-in intake source, as the HTTP adapter hands it over after checking the signature. */
export interface IntakeSource {
  id: string;
  name: string;
}

/** Remembered idempotency keys: the body they came with and the first answer (delivery is added as it stands when asked again). */
export interface IntakeState {
  intakeKeys: Record<string, { bodySha256: string; status: number; response: Record<string, unknown>; at: string }>;
}

const httpUrl = z.string().max(2000).url().refine((u) => /^https?:\/\//i.test(u), 'must be an http or https link');

/** The request body of POST /api/v1/escalations (kept in step with adapters/http/openapi.json by a test). */
export const intakeRequest = z.object({
  contentUrl: httpUrl,
  platform: z.enum(SOCIAL_PLATFORMS),
  category: z.enum(CATEGORIES),
  summary: z.string().trim().min(1).max(1500),
  area: z.string().min(1),
  forceAccount: z.string().max(100).optional(),
  authorIsVictimOrWitness: z.enum(['yes', 'no', 'unknown']).default('unknown'),
  authorAlreadyEngaged: z.boolean().optional(),
  capturedText: z.string().max(20_000).optional(),
  capturedAt: z.string().datetime({ offset: true }).optional(),
  attachments: z.array(z.object({ fileId: z.string().min(1).max(200), name: z.string().max(200).optional(), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional() }).strict()).max(10).optional(),
}).strict();

/** An answer for the HTTP adapter to send. */
export interface IntakeResponse {
  status: number;
  body: unknown;
}

/**
 * The intake API for social media management platforms and monitoring tools.
 * The source is recorded as the raiser. The signed `webhook-id` is the
 * idempotency key: a retried request gets the first answer; the same id with
 * a different body is a conflict.
 */
export class IntakeApi {
  private readonly lock = new KeyedLock();
  /** Keys older than a week are forgotten, looked for at most every ten minutes. */
  private readonly sweep: Sweep<IntakeState, IntakeState['intakeKeys'][string]>;

  constructor(
    private readonly deps: { raising: Raising; store: StateStore<IntakeState>; areas: ReadonlyArray<{ id: string }>; now: () => Date },
  ) {
    this.sweep = new Sweep(deps.store, (s) => s.intakeKeys, SWEEP_EVERY_MS);
  }

  async handle(source: IntakeSource, idempotencyKey: string, rawBody: string): Promise<IntakeResponse> {
    if (!/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) return problem(400, 'The webhook-id header must be 1–200 visible ASCII characters.');
    const key = `${source.id}:${idempotencyKey}`;
    const bodySha256 = createHash('sha256').update(rawBody).digest('hex');
    return this.lock.run(key, async () => {
      const again = await this.answerAgain(key, bodySha256);
      if (again) return again;
      const parsed = this.parse(rawBody);
      if (!parsed.ok) return parsed.response;
      const actor: Actor = { person: { id: `source:${source.id}`, name: source.name, email: '', roles: [], areas: [] }, via: { platform: 'api', sourceId: source.id, name: source.name } };
      const now = this.deps.now();
      const answer = (e: Escalation) => ({
        id: e.id, severity: e.severity, status: e.status, raisedBy: source.name, raisedAt: e.raised.at,
        ...(e.surge?.digest ? { digest: e.surge.id } : {}),
        route: { rules: e.route.rules, defaulted: e.route.defaulted, outOfHours: e.route.outOfHours },
        evidence: e.evidence,
      });
      // The key is written in the raise's own log record and state write: a crash can never leave
      // an escalation without its key, so a retry never raises a second one.
      let outcome;
      try {
        outcome = await this.deps.raising.raise(actor, parsed.input, (e) => ({ collection: 'intakeKeys', key, value: { bodySha256, status: 201, response: answer(e), at: now.toISOString() } }));
      } catch (err) {
        // Another instance sharing the database raised with this key meanwhile (a retry that reached it): its answer stands.
        if (err instanceof IndexTaken) return (await this.answerAgain(key, bodySha256))!;
        throw err;
      }
      if (outcome.kind !== 'raised') return problem(403, outcome.reason);
      // Sources retry within minutes; a week of keys is ample and keeps the store small.
      await this.sweep.run(now.getTime(), (v) => now.getTime() - Date.parse(v.at) > KEEP_KEYS_MS);
      return { status: 201, body: { ...answer(outcome.escalation), delivery: await this.delivery(outcome.escalation.id) } };
    });
  }

  /** The answer to a key already used: the first answer for the same body, a conflict for another. */
  private async answerAgain(key: string, bodySha256: string): Promise<IntakeResponse | undefined> {
    const keys = this.deps.store.read().intakeKeys;
    const seen = Object.hasOwn(keys, key) ? keys[key] : undefined;
    if (!seen) return undefined;
    if (seen.bodySha256 !== bodySha256) return problem(409, 'This webhook-id was already used with a different body.');
    return { status: seen.status, body: { ...seen.response, delivery: await this.delivery(String(seen.response.id)) } };
  }

  /** Where an alert stands, at once: a tool is not kept waiting (a person in chat waits a moment instead; see Raising.delivery). */
  private async delivery(id: string) {
    const status = await this.deps.raising.deliveryOf(id, 0);
    return {
      delivered: status.delivered,
      sending: status.pending.filter((p) => p.state === 'sending').map((p) => p.place),
      waiting: status.pending.filter((p) => p.state !== 'sending').map(({ place, reason }) => ({ place, reason })),
      failed: status.failed,
    };
  }

  private parse(rawBody: string): { ok: true; input: EscalationInput } | { ok: false; response: IntakeResponse } {
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return { ok: false, response: problem(400, 'The body is not valid JSON.') };
    }
    const result = intakeRequest.safeParse(json);
    if (!result.success) {
      return { ok: false, response: problem(400, 'The escalation is not valid.', result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }))) };
    }
    const { attachments, ...input } = result.data;
    if (!this.deps.areas.some((a) => a.id === input.area)) {
      return { ok: false, response: problem(400, 'The escalation is not valid.', [{ field: 'area', message: `unknown area "${input.area}"; use one of ${this.deps.areas.map((a) => a.id).join(', ')}` }]) };
    }
    return { ok: true, input: { ...input, ...(attachments ? { attachments: attachments.map((a) => ({ platform: 'api' as const, ...a })) } : {}) } };
  }
}

/** An error body the API documents: a code, a message, and field errors where there are some. */
export function problem(status: number, message: string, errors?: Array<{ field: string; message: string }>): IntakeResponse {
  const code = ({ 400: 'invalid_request', 401: 'unauthorized', 403: 'forbidden', 409: 'conflict', 413: 'too_large', 415: 'unsupported_media_type' } as Record<number, string>)[status] ?? 'error';
  return { status, body: { error: code, message, ...(errors ? { errors } : {}) } };
}
