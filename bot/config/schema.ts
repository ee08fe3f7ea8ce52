import { z } from 'zod';
import { ROLES } from '../domain/roles.ts';
import { appealsSchema, recordsSchema } from './schema-records.ts';
import { accountsSchema, coverageSchema, deliverySchema, intakeSchema, leaversSchema, routingSchema, slaSchema, surgeSchema, type RouteTarget } from './schema-operations.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" or "-"');
const email = z.string().email();

/** A Teams place the bot posts to: a channel (by channel id) or any conversation (by conversation id). */
const teamsTarget = z
  .object({
    channelId: z.string().min(1).optional().describe('Teams channel id (channelData.channel.id), e.g. 19:…@thread.tacv2'),
    conversationId: z.string().min(1).optional().describe('A conversation id, for a group or personal chat'),
    name: z.string().optional().describe('A name for people, used in logs and messages'),
  })
  .strict()
  .refine((t) => t.channelId || t.conversationId, 'give channelId or conversationId');

const slackTarget = z
  .object({
    channelId: z.string().regex(/^[CGD][A-Z0-9]+$/, 'a Slack channel id such as C0123ABCD'),
    name: z.string().optional(),
  })
  .strict();

const person = z
  .object({
    id: id.describe('Their directory id, used in the config and in the decision log, e.g. "pc.north"'),
    name: z.string().min(1).describe('As shown on cards, e.g. "Insp. Jones"'),
    email: email.describe('Their work email'),
    roles: z.array(z.enum(ROLES)).min(1).describe('Their Bluedesk roles, from the APP: what each allows is in the policy table (docs/SECURITY.md)'),
    areas: z.array(id).default([]).describe('Areas for area-scoped roles; empty means force-wide'),
    teams: z.object({ aadObjectId: z.string().min(1).describe('Their Entra ID (AAD) object id'), tenantId: z.string().min(1).describe('Their tenant id') }).strict().optional().describe('Their Teams identity; without it they cannot use Bluedesk in Teams'),
    slack: z.object({ userId: z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack user id such as U0123ABCD'), teamId: z.string().regex(/^T[A-Z0-9]+$/, 'a Slack team id such as T0123ABCD') }).strict().optional(),
    managerId: id.optional().describe('Their line manager (a person id): a manager may start a leaver or mover case for their own reports'),
  })
  .strict();

/** The force config: everything about the force that is not a secret. */
export const forceConfigSchema = z
  .object({
    $schema: z.string().optional(),
    force: z.object({ name: z.string().min(1).describe('The force, as shown on cards and the public list'), accessHelp: z.string().min(1).describe('Told to people the bot does not know: how to get access') }).strict(),
    areas: z.array(z.object({ id: id.describe('Used in routing rules and people’s areas'), name: z.string().min(1).describe('As shown on cards') }).strict()).min(1).describe('The force’s areas (divisions, districts): escalations are raised for one, and neighbourhood roles are scoped to them'),
    emailDomains: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a domain such as example.police.uk')).min(1).describe('The force’s email domains: an official account’s business email must use one'),
    platforms: z
      .object({
        teams: z.object({ tenantIds: z.array(z.string().min(1)).min(1).describe('The Microsoft 365 tenants Bluedesk serves; requests from any other are refused') }).strict(),
        slack: z.object({ teamIds: z.array(z.string().regex(/^T[A-Z0-9]+$/)).default([]).describe('The Slack workspaces Bluedesk serves; requests from any other are refused') }).strict().default({ teamIds: [] }),
      })
      .strict(),
    people: z.array(person).min(1).describe('Everyone who may use Bluedesk: anyone else is refused, politely, and the attempt recorded'),
    channels: z
      .record(
        z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a channel group name in lower case'),
        z
          .object({ teams: z.array(teamsTarget).default([]), slack: z.array(slackTarget).default([]) })
          .strict()
          .refine((c) => c.teams.length + c.slack.length > 0, 'name at least one Teams or Slack channel'),
      )
      .describe('Named channel groups, each on either or both platforms; routing targets name them')
      .refine((c) => Object.keys(c).length > 0, 'name at least one channel group'),
    routing: routingSchema.optional().describe('Without routing, everything goes to the "escalations" channel group'),
    coverage: coverageSchema.optional().describe('Without coverage hours, the desk is taken as staffed 24/7'),
    sla: slaSchema.optional().describe('Without an SLA, no reminders or automatic escalation'),
    intake: intakeSchema.optional().describe('Sources allowed to use POST /api/v1/escalations'),
    accounts: accountsSchema.optional().describe('Official account governance; without it, account requests are turned off'),
    delivery: deliverySchema.prefault({}).describe('Retries, the fallback for urgent alerts, and who hears of undeliverable messages'),
    surge: surgeSchema.optional().describe('Surge activation and business continuity; without it, /surge says it is not set up and /continuity has no plan'),
    leavers: leaversSchema.prefault({}).describe('Movers and leavers: reminders, the overdue escalation, and an optional channel for cases that are not restricted'),
    appeals: appealsSchema.prefault({}).describe('Public appeals: review dates, and chasing their removal once ended'),
    records: recordsSchema.prefault({}).describe('Decision records: chain-head anchoring, disposal reports and the retention schedule'),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const areaIds = new Set(cfg.areas.map((a) => a.id));
    const checkTargets = (targets: RouteTarget[], path: (string | number)[]) => targets.forEach((t, i) => {
      if ('channel' in t && !cfg.channels[t.channel]) ctx.addIssue({ code: 'custom', path: [...path, i, 'channel'], message: `no channel group "${t.channel}" in channels` });
    });
    if (cfg.routing) {
      cfg.routing.rules.forEach((r, i) => {
        checkTargets(r.targets, ['routing', 'rules', i, 'targets']);
        r.match.areas?.forEach((a, j) => {
          if (!areaIds.has(a)) ctx.addIssue({ code: 'custom', path: ['routing', 'rules', i, 'match', 'areas', j], message: `unknown area "${a}"` });
        });
      });
      checkTargets(cfg.routing.default.targets, ['routing', 'default', 'targets']);
      if (cfg.routing.outOfHours) checkTargets(cfg.routing.outOfHours.targets, ['routing', 'outOfHours', 'targets']);
    } else if (!cfg.channels.escalations) {
      ctx.addIssue({ code: 'custom', path: ['channels'], message: 'without routing, a channel group named "escalations" is needed' });
    }
    cfg.sla?.ladder.forEach((tier, i) => checkTargets(tier.targets, ['sla', 'ladder', i, 'targets']));
    if (cfg.accounts) {
      checkTargets(cfg.accounts.approvers.comms, ['accounts', 'approvers', 'comms']);
      checkTargets(cfg.accounts.approvers.infosec, ['accounts', 'approvers', 'infosec']);
    }
    const personIds = new Set(cfg.people.map((p) => p.id));
    checkTargets(cfg.delivery.fallback.targets, ['delivery', 'fallback', 'targets']);
    cfg.delivery.fallback.people.forEach((p, i) => {
      if (!personIds.has(p)) ctx.addIssue({ code: 'custom', path: ['delivery', 'fallback', 'people', i], message: `no person "${p}" in people` });
    });
    if (cfg.delivery.opsChannel !== undefined) checkTargets([{ channel: cfg.delivery.opsChannel }], ['delivery', 'opsChannel']);
    cfg.delivery.admins.forEach((p, i) => {
      if (!personIds.has(p)) ctx.addIssue({ code: 'custom', path: ['delivery', 'admins', i], message: `no person "${p}" in people` });
    });
    cfg.leavers.escalateTo.forEach((p, i) => {
      if (!personIds.has(p)) ctx.addIssue({ code: 'custom', path: ['leavers', 'escalateTo', i], message: `no person "${p}" in people` });
    });
    if (cfg.surge) {
      checkTargets(cfg.surge.channels, ['surge', 'channels']);
      for (const key of ['rota', 'backup'] as const) {
        cfg.surge[key].forEach((p, i) => {
          if (!personIds.has(p)) ctx.addIssue({ code: 'custom', path: ['surge', key, i], message: `no person "${p}" in people` });
        });
      }
    }
    checkTargets(cfg.appeals.escalateTo, ['appeals', 'escalateTo']);
    if (cfg.records.channel && !cfg.channels[cfg.records.channel]) ctx.addIssue({ code: 'custom', path: ['records', 'channel'], message: `no channel group "${cfg.records.channel}" in channels` });
    if (cfg.leavers.channel && !cfg.channels[cfg.leavers.channel]) ctx.addIssue({ code: 'custom', path: ['leavers', 'channel'], message: `no channel group "${cfg.leavers.channel}" in channels` });
    const seen = new Set<string>();
    cfg.people.forEach((p, i) => {
      if (p.managerId && (!personIds.has(p.managerId) || p.managerId === p.id)) {
        ctx.addIssue({ code: 'custom', path: ['people', i, 'managerId'], message: p.managerId === p.id ? 'a person cannot be their own manager' : `no person "${p.managerId}" in people` });
      }
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['people', i, 'id'], message: `duplicate person id "${p.id}"` });
      seen.add(p.id);
      p.areas.forEach((a, j) => {
        if (!areaIds.has(a)) ctx.addIssue({ code: 'custom', path: ['people', i, 'areas', j], message: `unknown area "${a}"` });
      });
      if (p.teams && !cfg.platforms.teams.tenantIds.includes(p.teams.tenantId)) {
        ctx.addIssue({ code: 'custom', path: ['people', i, 'teams', 'tenantId'], message: 'tenant is not in platforms.teams.tenantIds' });
      }
      if (p.slack && !cfg.platforms.slack.teamIds.includes(p.slack.teamId)) {
        ctx.addIssue({ code: 'custom', path: ['people', i, 'slack', 'teamId'], message: 'team is not in platforms.slack.teamIds' });
      }
    });
  });

/** The validated force config. */
export type ForceConfig = z.infer<typeof forceConfigSchema>;
