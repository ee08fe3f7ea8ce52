import { z } from 'zod';
import { routeTarget } from './schema-operations.ts';

const channelName = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a channel group name from "channels"');
const className = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a class name in lower case');

/** The kinds of subject a decision-log record can be about, each kept under one retention class. */
export const SUBJECT_TYPES = ['escalation', 'account-request', 'account', 'impersonation', 'leaver', 'surge', 'appeal', 'person'] as const;

/**
 * One retention class. Its clock starts when a subject is finished (an
 * escalation closed, an account closed, a leaver case complete …) or, for a
 * record about no subject, when the record was made.
 */
const retentionClass = z
  .object({
    description: z.string().min(1).describe('What the class holds, in the words of the force’s retention schedule'),
    subjects: z.array(z.enum(SUBJECT_TYPES)).default([]).describe('The subjects whose records belong to this class'),
    actions: z.array(z.string().regex(/^[a-z_]+(\.[a-z_]*)?$/, 'an action or an action prefix such as "records." or "access.refused"')).default([])
      .describe('Records about no subject, by action or action prefix (e.g. "records.consulted", "access.")'),
    afterDays: z.number().int().min(1).describe('Days after the subject is finished (or the record made) when the period ends'),
    onExpiry: z.enum(['dispose', 'review']).describe('dispose: personal data is redacted and the working record removed; review: listed for information management to decide'),
  })
  .strict();

/** Decision records: where chain heads and disposal reports go, the daily anchoring, and the retention schedule. */
export const recordsSchema = z
  .object({
    channel: channelName.optional().describe('Channel group where the daily chain head and each disposal report are posted'),
    anchor: z
      .object({
        atUtc: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 02:00').default('02:00').describe('When the chain head is published each day (UTC)'),
        syslog: z
          .object({
            host: z.string().min(1),
            port: z.number().int().min(1).max(65535).default(514),
            protocol: z.enum(['udp', 'tcp']).default('udp'),
            appName: z.string().regex(/^[!-~]{1,48}$/).default('bluedesk'),
          })
          .strict()
          .optional()
          .describe('A syslog or SIEM collector that also receives each published head (RFC 5424)'),
      })
      .strict()
      .prefault({}),
    retention: z
      .object({
        setBy: z.string().min(1).describe('Who set these periods and against what, e.g. "Information manager, against the NPCC National Retention Schedule, reviewed 2026-10"'),
        runAtUtc: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 03:00').default('03:00').describe('When the disposal job runs each day (UTC)'),
        classes: z.record(className, retentionClass).refine((c) => Object.keys(c).length > 0, 'name at least one class'),
        default: className.describe('The class of any record no other class claims'),
      })
      .strict()
      .optional()
      .describe('Without a retention schedule, nothing is ever disposed of and start-up says so'),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (!r.retention) return;
    if (!Object.hasOwn(r.retention.classes, r.retention.default)) ctx.addIssue({ code: 'custom', path: ['retention', 'default'], message: `no class "${r.retention.default}" in classes` });
    const owner = new Map<string, string>();
    for (const [name, cls] of Object.entries(r.retention.classes)) {
      for (const s of cls.subjects) {
        if (owner.has(s)) ctx.addIssue({ code: 'custom', path: ['retention', 'classes', name, 'subjects'], message: `"${s}" is already in class "${owner.get(s)}": a subject belongs to one class` });
        owner.set(s, name);
      }
    }
  });

export type RecordsConfig = z.infer<typeof recordsSchema>;
export type RetentionConfig = NonNullable<RecordsConfig['retention']>;

/** Public appeals: the default review period, how removal is chased, and who hears when it is overdue. */
export const appealsSchema = z
  .object({
    defaultReviewDays: z.number().int().min(1).max(365).default(14).describe('The review date the /appeal form suggests, in days from today'),
    urgent: z
      .object({
        remindEveryMinutes: z.number().int().min(5).default(30).describe('While an ended appeal is still up, its owners are reminded this often'),
        escalateAfterMinutes: z.number().int().min(5).default(120).describe('An ended appeal still up after this long goes to escalateTo'),
      })
      .strict()
      .prefault({}),
    routine: z
      .object({
        remindEveryHours: z.number().int().min(1).default(24).describe('While an appeal a review decided to remove or archive is still up, its owners are reminded this often'),
        escalateAfterHours: z.number().int().min(1).default(168),
      })
      .strict()
      .prefault({}),
    escalateTo: z.array(routeTarget).min(1).default([{ role: 'corporate_comms' }]).describe('Who is told when an appeal is not taken down in time'),
  })
  .strict();

export type AppealsConfig = z.infer<typeof appealsSchema>;
