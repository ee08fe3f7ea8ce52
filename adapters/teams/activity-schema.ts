import { z } from 'zod';

/**
 * Every field of a Bot Framework activity that Bluedesk reads, validated at
 * the edge: a request of any other shape is answered 400 with the reason,
 * and nothing past the edge sees an unvalidated shape. Fields Bluedesk does
 * not read pass through untouched (they are never stored: see
 * `conversations.ts`, which keeps only what it needs, each bounded).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const text = (max: number) => z.string().max(max).refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode (no lone surrogates)');
/** Ids travel in HTTP headers and paths when the bot replies (x-ms-conversation-id): printable ASCII only, as Teams' are. */
const id = z.string().max(1024).regex(/^[\x20-\x7e]*$/, 'must be printable ASCII, as Bot Framework ids are');
const account = z.looseObject({ id, name: text(256).optional(), aadObjectId: text(128).optional() });
/** A mention's `mentioned` and `text` are read to strip the bot's name from a command, so a mention must have both shapes right. */
const entity = z.looseObject({ type: text(128), mentioned: account.optional(), text: text(1024).optional() })
  .refine((e) => e.type.toLowerCase() !== 'mention' || e.mentioned !== undefined, { message: 'a mention must say who is mentioned', path: ['mentioned'] });

export const activitySchema = z.looseObject({
  type: text(64).min(1),
  id: id.optional(),
  serviceUrl: z.string().max(2048).regex(/^https?:\/\/[\x21-\x7e]+$/, 'must be an http(s) URL'),
  channelId: text(64),
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id: id.min(1),
    conversationType: text(64).optional(),
    tenantId: id.max(128).optional(),
    isGroup: z.boolean().optional(),
    name: text(256).optional(),
  }),
  text: text(28_000).optional(),
  name: text(256).optional(),
  action: text(64).optional(),
  replyToId: id.optional(),
  value: z.unknown().optional(),
  membersAdded: z.array(account).max(1000).optional(),
  membersRemoved: z.array(account).max(1000).optional(),
  attachments: z.array(z.looseObject({ contentType: text(256).optional(), contentUrl: text(4096).optional(), name: text(512).optional(), content: z.unknown().optional() })).max(20).optional(),
  entities: z.array(entity).max(100).optional(),
  channelData: z.looseObject({
    tenant: z.looseObject({ id: id.max(128) }).optional(),
    team: z.looseObject({ id, name: text(256).optional() }).optional(),
    channel: z.looseObject({ id, name: text(256).optional() }).optional(),
    eventType: text(64).optional(),
  }).optional(),
  locale: text(32).optional(),
});

/** Says what is wrong with a body that is not a usable activity, or nothing. */
export function activityProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON activity object';
  const result = activitySchema.safeParse(body);
  if (result.success) return undefined;
  const issue = result.error.issues[0]!;
  return `activity.${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
