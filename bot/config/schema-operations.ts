import { z } from 'zod';
import { CATEGORIES, SEVERITIES } from '../domain/escalation.ts';
import { ROLES } from '../domain/roles.ts';
import { SURGE_ACTIONS, TRIGGERS } from '../domain/surge-types.ts';

const SURGE_ACTION_IDS = Object.keys(SURGE_ACTIONS) as [keyof typeof SURGE_ACTIONS, ...Array<keyof typeof SURGE_ACTIONS>];
const TRIGGER_IDS = Object.keys(TRIGGERS) as [keyof typeof TRIGGERS, ...Array<keyof typeof TRIGGERS>];

const channelName = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a channel group name from "channels"');

/** Where a routed alert goes: a named channel group, or the people holding a role (area-scoped roles only in the matching area). */
export const routeTarget = z.union([
  z.object({ channel: channelName }).strict(),
  z.object({ role: z.enum(ROLES) }).strict(),
]);

const routeRule = z
  .object({
    name: z.string().min(1).describe('Shown on the card and in the decision log'),
    match: z
      .object({
        categories: z.array(z.enum(CATEGORIES)).min(1).optional(),
        areas: z.array(z.string()).min(1).optional(),
        severities: z.array(z.enum(SEVERITIES)).min(1).optional(),
      })
      .strict()
      .describe('Every listed dimension must match; a dimension left out matches anything'),
    targets: z.array(routeTarget).min(1),
  })
  .strict();

/** Routing: every matching rule contributes targets; with none, the default route is used and flagged. */
export const routingSchema = z
  .object({
    rules: z.array(routeRule).default([]),
    default: z.object({ targets: z.array(routeTarget).min(1) }).strict(),
    outOfHours: z.object({ targets: z.array(routeTarget).min(1) }).strict().optional().describe('Added when the desk is not staffed'),
  })
  .strict();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time such as 07:30 (24-hour, UK local)');
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** When the digital desk is staffed, in UK local time. Anything outside is unmonitored. */
export const coverageSchema = z
  .object({
    staffed: z
      .array(z.object({ days: z.array(z.enum(DAYS)).min(1), from: hhmm, to: hhmm }).strict().refine((p) => p.from < p.to, 'from must be before to'))
      .describe('An empty list means the desk is never staffed'),
  })
  .strict();

const minutesBySeverity = z.object({ critical: z.number().int().positive(), high: z.number().int().positive(), medium: z.number().int().positive(), low: z.number().int().positive() }).strict();

/** Service levels: how fast an escalation must be acknowledged and decided, and who is pulled in when it is not. */
export const slaSchema = z
  .object({
    acknowledgeWithinMinutes: minutesBySeverity,
    decideWithinMinutes: minutesBySeverity,
    ladder: z
      .array(z.object({ name: z.string().min(1), targets: z.array(routeTarget).min(1) }).strict())
      .min(1)
      .describe('Tiers pulled in, in order, each time acknowledgement is overdue (e.g. desk supervisor → comms on-call → duty officer)'),
    maxDecisionReminders: z.number().int().min(0).max(10).default(3),
  })
  .strict();

export type RouteTarget = z.infer<typeof routeTarget>;
export type RoutingConfig = z.infer<typeof routingSchema>;
export type CoverageConfig = z.infer<typeof coverageSchema>;
export type SlaConfig = z.infer<typeof slaSchema>;

/** Systems allowed to raise escalations through the intake API; each signs with its own secret from the environment. */
export const intakeSchema = z
  .object({
    sources: z.array(z.object({
      id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-"'),
      name: z.string().min(1).describe('Recorded as the raiser, e.g. "Orlo (SMMP)"'),
      secretEnv: z.string().regex(/^BLUEDESK_INTAKE_SECRET_[A-Z0-9_]+$/, 'an environment variable named BLUEDESK_INTAKE_SECRET_<SOURCE>'),
    }).strict()).default([]),
  })
  .strict();

export type IntakeConfig = z.infer<typeof intakeSchema>;

/** Official account governance: the naming rule, who approves, and review timings. */
export const accountsSchema = z
  .object({
    naming: z.object({
      pattern: z.string().min(1).refine((p) => { try { new RegExp(p); return true; } catch { return false; } }, 'not a valid regular expression').describe('The whole handle must match (without @)'),
      description: z.string().min(1).describe('The rule in words, shown when a handle breaks it'),
      prefix: z.string().min(1).describe('What compliant handles start with; used for suggestions'),
    }).strict(),
    approvers: z.object({
      comms: z.array(routeTarget).min(1).describe('Where corporate communications approval cards go'),
      infosec: z.array(routeTarget).min(1).describe('Where information security approval cards go'),
    }).strict(),
    investigationsProcess: z.string().min(1).describe('Told to anyone asking for an investigative account'),
    reviewOverdueDays: z.number().int().min(1).default(30).describe('After this many days past review, corporate comms are told'),
    verificationRepromptDays: z.number().int().min(1).default(14),
    impersonationReminderDays: z.number().int().min(1).default(3),
  })
  .strict();

export type AccountsConfig = z.infer<typeof accountsSchema>;

const personId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a person id from "people"');

/** How the outbox delivers: how long it keeps trying, the fallback for urgent alerts, and who hears of failures. */
export const deliverySchema = z
  .object({
    retryForHours: z
      .object({
        alerts: z.number().positive().max(24 * 14).default(24).describe('How long an escalation alert keeps being retried or waits for its place'),
        other: z.number().positive().max(24 * 14).default(24).describe('The same for every other card and message'),
      })
      .strict()
      .prefault({}),
    fallback: z
      .object({
        afterMinutes: z.number().int().min(1).max(60).default(2).describe('A critical or high alert that has reached no routed place by then also goes to the fallback places'),
        targets: z.array(routeTarget).default([]).describe('Fallback channel groups and roles, e.g. the desk channel on the other platform'),
        people: z.array(personId).default([]).describe('Fallback people by id, e.g. the desk supervisors, reached by direct message'),
      })
      .strict()
      .prefault({}),
    deskPhone: z.string().min(3).max(40).optional().describe('Told to a raiser whose urgent alert reached no one'),
    admins: z.array(personId).default([]).describe('Bot admins: told by direct message of every message that could not be delivered'),
    opsChannel: z.string().min(1).max(64).optional().describe('A channel group that is also told of every message that could not be delivered, and of a notice to the bot admins that could not reach them'),
  })
  .strict();

export type DeliveryConfig = z.infer<typeof deliverySchema>;

/** Movers and leavers: when offboarding tasks are due, who is reminded, and who hears of overdue cases. */
export const leaversSchema = z
  .object({
    escalateTo: z.array(personId).default([]).describe('The head of information security (and deputies): told when a case is overdue. Empty means everyone holding information_security'),
    psd: z
      .object({
        firstReminderMinutes: z.number().int().min(1).max(60).default(30).describe('A PSD-related case is due at once; its assignees are first reminded this soon (within the hour)'),
        reminderEveryMinutes: z.number().int().min(5).max(24 * 60).default(60).describe('Then reminded this often while items are outstanding'),
        escalateAfterHours: z.number().positive().max(72).default(4).describe('After this many hours with items outstanding, the escalation people are told'),
      })
      .strict()
      .prefault({}),
    remindDaysBefore: z.array(z.number().int().min(0).max(60)).default([3, 1]).describe('Other cases: assignees are reminded this many days before the effective date'),
    escalateAfterHoursOverdue: z.number().min(0).max(24 * 14).default(0).describe('Other cases: the escalation people are told this many hours after the effective date ends with items outstanding'),
    channel: channelName.optional().describe('A channel group that also gets the card of each case that is not restricted; restricted (PSD) cases only ever go by direct message'),
  })
  .strict();

export type LeaversConfig = z.infer<typeof leaversSchema>;

/** Surge activation and business continuity: where surge alerts go, the rota, the playbook, the surge SLA profile, the digest and the continuity plan. */
export const surgeSchema = z
  .object({
    channels: z.array(routeTarget).min(1).describe('Where the surge alert card goes (channel groups on both platforms, or roles)'),
    rota: z.array(personId).default([]).describe('The surge rota: each is asked by direct message whether they can come in'),
    backup: z.array(personId).default([]).describe('Called when rota members have not answered after backupAfterMinutes'),
    remindAfterMinutes: z.number().int().min(1).max(240).default(10),
    backupAfterMinutes: z.number().int().min(1).max(480).default(20),
    playbook: z
      .array(z.object({ action: z.enum(SURGE_ACTION_IDS), triggers: z.array(z.enum(TRIGGER_IDS)).optional().describe('Omit for every trigger'), minLevel: z.number().int().min(1).max(3).default(1) }).strict())
      .optional()
      .describe('Which actions are pre-selected for a trigger and level; omit for the built-in playbook'),
    sla: z.object({ acknowledgeWithinMinutes: minutesBySeverity, decideWithinMinutes: minutesBySeverity }).strict().optional().describe('The SLA profile while a surge is active'),
    digest: z
      .object({
        from: z.enum(['high', 'medium', 'low']).default('medium').describe('Escalations of this severity and below go into the digest while a surge is active'),
        intervalSeconds: z.number().int().min(15).max(600).default(30),
        newest: z.number().int().min(1).max(10).default(5),
      })
      .strict()
      .prefault({}),
    continuity: z.array(z.string().min(1).max(300)).default([]).describe('The business continuity plan for a platform outage, step by step'),
  })
  .strict();

export type SurgeConfig = z.infer<typeof surgeSchema>;
