import { ukDateTime } from '../../cards/format.ts';
import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import type { RecordListModel } from '../../cards/record-list/model.ts';
import type { CoverageConfig } from '../config/schema-operations.ts';
import type { Clock } from '../domain/clock.ts';
import { isStaffed, unstaffedPeriods } from '../domain/coverage.ts';
import { actorLabel, type DecisionLog, type DecisionRecord } from '../domain/decision-log.ts';
import { CATEGORY_LABELS, SEVERITIES, type Escalation } from '../domain/escalation.ts';
import type { Escalations } from '../domain/escalations.ts';
import type { Actor } from '../domain/people.ts';
import { ACTION_LABELS, authorise, type Action } from '../domain/policy.ts';
import { recordRefusal } from '../domain/refusals.ts';
import type { Role } from '../domain/roles.ts';

/** Roles that see every open escalation: they run the desk. */
const SEES_ALL: readonly Role[] = ['digital_desk', 'corporate_comms', 'command'];

/** Read-only views: my escalations, one escalation's timeline, and the desk's coverage. */
export class Views {
  constructor(
    private readonly deps: { escalations: Escalations; log: DecisionLog; clock: Clock; coverage: CoverageConfig | undefined; tierRoles: (tier: number) => Role[] },
  ) {}

  /** `/escalations`: open escalations that are mine, my role's, or in my area; most severe and oldest first. */
  list(actor: Actor): RecordListModel {
    const p = actor.person;
    const mine = this.deps.escalations.all().filter((e) => e.status !== 'closed' && authorise(p, 'escalation.view', { area: e.area }).allowed && (
      p.roles.some((r) => SEES_ALL.includes(r)) ||
      e.owner?.personId === p.id ||
      p.areas.includes(e.area) ||
      e.route.targets.some((t) => 'role' in t && p.roles.includes(t.role)) ||
      Array.from({ length: e.tier }, (_, i) => this.deps.tierRoles(i + 1)).flat().some((r) => p.roles.includes(r))));
    mine.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.raised.at.localeCompare(b.raised.at));
    return {
      title: 'Open escalations',
      subtitle: `For ${p.name}: yours, your roles’ and your areas’, most severe first.`,
      // One that went into a surge digest has no card of its own: it is acknowledged from here.
      items: mine.map((e) => ({
        heading: `${e.id} · ${e.severity.toUpperCase()} · ${CATEGORY_LABELS[e.category]}`, lines: [statusOf(e), e.summary],
        ...(!e.acknowledged && e.surge?.digest ? { action: { verb: 'escalation.acknowledge', title: 'Acknowledge', subjectId: e.id } } : {}),
      })),
      empty: 'Nothing open for you right now.',
    };
  }

  /** `/escalation <id>`: every recorded event, with who, when, the decision and its rationale. */
  async timeline(actor: Actor, id: string): Promise<{ ok: true; model: RecordListModel } | { ok: false; notice: NoticeModel }> {
    const e = await this.deps.escalations.fetch(id.toUpperCase());
    if (!e) return { ok: false, notice: notice('error', 'Unknown escalation', `There is no escalation ${id}. Try /escalations for the open ones.`) };
    const verdict = authorise(actor.person, 'escalation.view', { area: e.area });
    if (!verdict.allowed) {
      await recordRefusal(this.deps.log, actor, 'escalation.view', verdict.reason, { type: 'escalation', id: e.id });
      return { ok: false, notice: notice('warning', 'Not permitted', verdict.reason, 'Your attempt has been recorded.') };
    }
    const records = await this.deps.log.forSubject('escalation', e.id);
    return {
      ok: true,
      model: {
        title: `${e.id} timeline`,
        subtitle: `${e.severity.toUpperCase()} · ${CATEGORY_LABELS[e.category]} · ${statusOf(e)}`,
        items: records.map(timelineItem),
        empty: 'No events recorded.',
      },
    };
  }

  /** `/coverage`: when the desk is not staffed, so the risk of not monitoring 24/7 is visible. */
  coverage(): NoticeModel {
    const gaps = unstaffedPeriods(this.deps.coverage);
    if (!this.deps.coverage) return notice('info', 'Desk coverage', 'No coverage hours are configured, so the desk is treated as staffed 24/7.');
    const now = isStaffed(this.deps.clock.now(), this.deps.coverage) ? 'The desk is staffed now.' : 'The desk is NOT staffed now: escalations take the out-of-hours route.';
    if (!gaps.length) return notice('success', 'Desk coverage', 'The digital desk is staffed 24/7.', now);
    return notice('warning', 'Desk coverage: unmonitored periods (UK time)', now, ...gaps,
      'Escalations raised in these periods take the out-of-hours route and are recorded as raised while unmonitored.');
  }
}

function statusOf(e: Escalation): string {
  const owner = e.owner ? `, owner ${e.owner.name}` : '';
  return `${e.status}${owner}, raised ${ukDateTime(e.raised.at)}`;
}

/** Each recorded action in words, as it reads after a person's name ("Dana Desk acknowledged"). */
const WHAT: Record<string, string> = {
  'escalation.raised': 'raised it', 'escalation.acknowledged': 'acknowledged', 'escalation.assigned': 'assigned it',
  'escalation.noted': 'added a note', 'escalation.decided': 'recorded a decision', 'escalation.tier_raised': 'escalated it',
  'escalation.closed': 'closed it', 'escalation.reopened': 'reopened it', 'escalation.reminded': 'reminded the owner',
  'escalation.sla_breached': 'flagged an SLA breach', 'escalation.delivery_fallback': 'sent it to the fallback places',
  'escalation.owner_unavailable': 'released it: the owner is no longer available',
  'account.requested': 'asked for a new account', 'account.resubmitted': 'resubmitted the request', 'account.approved_comms': 'approved it for corporate communications',
  'account.approved_infosec': 'approved it for information security', 'account.rejected': 'rejected it', 'account.changes_requested': 'asked for changes',
  'account.created': 'added it to the register', 'account.registered': 'linked it to the register', 'account.activated': 'completed its set-up',
  'account.reviewed': 'confirmed its review', 'account.verified': 'marked it verified', 'account.closure_requested': 'asked for it to close',
  'account.closure_approved': 'approved its closure', 'account.closure_rejected': 'rejected its closure', 'account.closed': 'closed it',
  'account.owner_changed': 'changed its owner', 'account.admin_removed': 'removed an administrator', 'account.review_reminded': 'reminded the owner of its review',
  'account.review_overdue': 'flagged its review as overdue', 'account.verification_reprompted': 'asked again about verification',
  'impersonation.reported': 'reported a fake account', 'impersonation.taken_down': 'recorded it taken down', 'impersonation.declined': 'recorded the platform declined',
  'impersonation.reminded': 'chased the platform report',
  'leaver.opened': 'started the case', 'leaver.item_done': 'ticked an item', 'leaver.items_added': 'added items', 'leaver.items_reassigned': 'moved items to others',
  'leaver.reminded': 'reminded the assignees', 'leaver.escalated': 'told the escalation people it is overdue', 'leaver.roles_removed': 'removed their Bluedesk roles',
  'leaver.completed': 'completed the case', 'leaver.psd_confirmed': 'confirmed it PSD-related', 'leaver.psd_cleared': 'found it not PSD-related',
  'leaver.platform_removed': 'offered a case: a platform removed them',
  'surge.activated': 'activated the surge', 'surge.answered': 'answered the call-out', 'surge.task_done': 'ticked an action', 'surge.level_raised': 'raised the level',
  'surge.level_lowered': 'lowered the level', 'surge.reminded': 'reminded the rota', 'surge.backup_called': 'called the backup list', 'surge.stood_down': 'stood it down',
  'surge.chart_kept': 'kept the summary chart',
  'appeal.registered': 'registered the appeal', 'appeal.reviewed': 'reviewed it', 'appeal.review_due': 'asked for its review', 'appeal.closed': 'ended the appeal',
  'appeal.post_done': 'confirmed a post down', 'appeal.finished': 'finished it: every post is down', 'appeal.removal_reminded': 'chased the take-down',
  'appeal.removal_overdue': 'told those above the take-down is overdue',
  'records.consulted': 'consulted the records', 'records.exported': 'exported the records', 'records.hold_placed': 'placed a legal hold',
  'records.hold_lifted': 'lifted a legal hold', 'records.disposed': 'disposed of records past their retention period', 'records.disposal_report': 'reported a retention run',
  'records.head_published': 'published the chain head', 'delivery.dead_letters_replayed': 'replayed undelivered messages', 'access.refused': 'was refused access',
};

/** What someone was refused that is not a row of the policy table (the record's own rule refused it). */
const REFUSED: Record<string, string> = { 'surge.respond': 'answer a surge call-out', 'leaver.tick': 'tick an offboarding item', 'delivery.dead_letters': 'see the dead-letter list' };

/** An action in words: its entry above, a refused action's label, or its last part without the code's underscores. */
export function actionInWords(r: Pick<DecisionRecord, 'action' | 'outcome'>): string {
  if (r.outcome === 'refused') return `was refused: ${ACTION_LABELS[r.action as Action] ?? REFUSED[r.action] ?? words(r.action)}`;
  return WHAT[r.action] ?? words(r.action);
}

function words(action: string): string {
  return action.split('.').pop()!.replace(/_/g, ' ');
}

/** One log record as a timeline entry: who, when, what, and the why in National Decision Model form. */
export function timelineItem(r: DecisionRecord): { heading: string; lines: string[] } {
  const d = (r.details ?? {}) as Record<string, unknown>;
  const what = actionInWords(r);
  const lines: string[] = [];
  if (r.redacted) lines.push(`Personal data redacted under the retention schedule (disposal record ${r.redacted.by}).`);
  // A raise carries the raiser's summary; a decision carries the decision in words.
  if (typeof d.summary === 'string') lines.push(`${r.action === 'escalation.decided' ? 'Decision' : 'Summary'}: ${d.summary}`);
  if (r.action === 'escalation.delivery_fallback') lines.push('The alert had reached no routed place in time, so it also went to the fallback places.');
  if (typeof d.toName === 'string') lines.push(`To: ${d.toName}`);
  if (typeof d.tierName === 'string') lines.push(`Tier: ${d.tierName}`);
  if (typeof d.text === 'string') lines.push(`Note: ${d.text}`);
  if (r.reason) lines.push(`Reason: ${r.reason}`);
  if (r.rationale) {
    const n = r.rationale;
    lines.push(...[['Information', n.information], ['Threat and risk', n.threatRisk], ['Powers and policy', n.powersPolicy], ['Options', n.options], ['Action', n.action], ['Review', n.reviewAt && ukDateTime(n.reviewAt)]]
      .filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`));
  }
  return { heading: `${ukDateTime(r.at)} · ${actorLabel(r)} ${what}`, lines };
}
