import { ukDateTime } from '../../cards/format.ts';
import { notice } from '../../cards/notice/model.ts';
import type { RecordListModel } from '../../cards/record-list/model.ts';
import type { Clock } from '../domain/clock.ts';
import type { DecisionLog } from '../domain/decision-log.ts';
import { isAssignedTo } from '../domain/leaver-checklist.ts';
import { rolesNow, type LeaverCase } from '../domain/leaver-types.ts';
import { seesRestricted, type LeaverCases } from '../domain/leavers.ts';
import type { Actor, Directory, Person } from '../domain/people.ts';
import { authorise } from '../domain/policy.ts';
import { recordRefusal } from '../domain/refusals.ts';
import { ROLE_LABELS } from '../domain/roles.ts';
import type { LeaverAudiences } from './leaver-audience.ts';
import type { Reply } from './reply.ts';

/**
 * `/leavers`, `/leaver <id>` and `/person <name>`: read-only, and each shows
 * only what the viewer may see. A case the viewer may not see answers
 * exactly as one that does not exist, so its existence does not leak.
 */
export class LeaverViews {
  constructor(private readonly deps: { cases: LeaverCases; audiences: LeaverAudiences; directory: Directory; log: DecisionLog; clock: Clock; overdueAt: (c: LeaverCase) => string }) {}

  /** `/leavers`: open cases the viewer may see, overdue first, then by when they are due. */
  list(actor: Actor): RecordListModel {
    const now = this.deps.clock.now().toISOString();
    const visible = this.deps.cases.all()
      .filter((c) => c.status === 'open')
      .map((c) => ({ c, audience: this.deps.audiences.of(c, actor.person) }))
      .filter((x) => x.audience);
    const late = (c: LeaverCase) => this.deps.overdueAt(c) < now;
    visible.sort((a, b) => Number(late(b.c)) - Number(late(a.c)) || a.c.dueAt.localeCompare(b.c.dueAt));
    return {
      title: 'Open leaver and mover cases',
      subtitle: `For ${actor.person.name}: the cases you started, run, or have tasks in. Overdue first.`,
      items: visible.map(({ c, audience }) => {
        const tasksOnly = audience!.level === 'tasks';
        const items = tasksOnly ? c.items.filter((i) => isAssignedTo(i, actor.person) || i.done?.personId === actor.person.id) : c.items;
        const done = items.filter((i) => i.done).length;
        const overdue = late(c) ? 'OVERDUE · ' : '';
        return {
          heading: `${overdue}${c.id} · ${c.kind === 'mover' ? 'Mover' : 'Leaver'} · ${c.name}`,
          lines: [
            `${tasksOnly ? 'Your items' : 'Progress'}: ${done} of ${items.length} done · due ${c.psd === 'yes' ? 'now' : `by the end of ${c.effectiveDate}`}`,
            ...(audience!.level === 'restricted' && c.restricted ? [c.psd === 'review' ? 'Restricted: waiting for PSD review' : 'Restricted: PSD-related'] : []),
          ],
        };
      }),
      empty: 'No open cases for you.',
    };
  }

  /** `/leaver <id>`: the case card as the viewer may see it. */
  async show(actor: Actor, id: string): Promise<Reply> {
    const wanted = id.trim().toUpperCase();
    if (!wanted) return { kind: 'notice', notice: notice('info', 'Which case?', 'Give its id, e.g. /leaver LVR-00003, or see /leavers.') };
    const c = this.deps.cases.get(wanted);
    const card = c ? this.deps.audiences.cardFor(c, actor.person) : undefined;
    if (card) return { kind: 'card', card };
    if (c) await recordRefusal(this.deps.log, actor, 'leaver.view', 'Not a case this person may see.', { type: 'leaver', id: c.id });
    return { kind: 'notice', notice: notice('warning', 'No such case', `There is no case ${wanted} that you can see. See /leavers for yours.`) };
  }

  /** `/person <name, id or email>`: configured and effective roles, and why they differ. */
  async person(actor: Actor, text: string): Promise<Reply> {
    const verdict = authorise(actor.person, 'person.view');
    if (!verdict.allowed) {
      await recordRefusal(this.deps.log, actor, 'person.view', verdict.reason);
      return { kind: 'notice', notice: notice('warning', 'Not permitted', verdict.reason, 'Your attempt has been recorded.') };
    }
    const wanted = text.trim().toLowerCase();
    const found = this.deps.directory.match(wanted);
    if (!wanted || found.length !== 1) {
      return { kind: 'notice', notice: notice('info', 'Which person?', wanted ? `${found.length ? `${found.length} people match` : 'Nobody matches'} "${text.trim()}". Give their id or email.` : 'Give their name, id or email, e.g. /person pat.psd.') };
    }
    return { kind: 'card', card: { kind: 'record-list', model: this.personModel(found[0]!, actor.person) } };
  }

  private personModel(p: Person, viewer: Person): RecordListModel {
    const configured = this.deps.directory.configured(p.id)!;
    const changes = this.deps.cases.roleChanges().filter((r) => r.personId === p.id);
    const restricted = seesRestricted(viewer);
    const label = (roles: readonly string[]) => roles.map((r) => ROLE_LABELS[r as keyof typeof ROLE_LABELS]).join(', ') || 'none';
    // A case is named only to someone who may see it. Anyone else is told what the person can do now and nothing
    // about why: a suspension before the effective date would say the case is PSD-related.
    const named = changes.filter((r) => {
      const c = this.deps.cases.get(r.caseId);
      return c && (!c.restricted || this.deps.audiences.of(c, viewer));
    });
    const why = named.flatMap((r) => {
      const c = this.deps.cases.get(r.caseId);
      return [
        ...(r.suspendedAt ? [`All roles suspended since ${ukDateTime(r.suspendedAt)}, pending offboarding case ${r.caseId}${restricted && c ? ` (PSD-related: ${c.psdReason ?? 'yes'})` : ''}.`] : []),
        ...(r.removed ? [`Removed on ${ukDateTime(r.removed.at)} by ${c?.kind ?? 'offboarding'} case ${r.caseId}: ${label(r.removed.roles)}.`] : []),
      ];
    });
    const unexplained = changes.length > named.length;
    const now = rolesNow(configured.roles, changes);
    return {
      title: p.name,
      subtitle: `${p.id} · ${p.email}`,
      items: [
        { heading: 'Effective roles now', lines: [label(now), ...(changes.length ? [] : ['As configured: nothing suspended or removed.'])] },
        { heading: 'Configured roles', lines: [label(configured.roles), ...(configured.managerId ? [`Line manager: ${this.deps.directory.get(configured.managerId)?.name ?? configured.managerId}`] : [])] },
        ...(why.length || unexplained ? [{ heading: 'Why they differ', lines: [...why, ...(unexplained ? ['Their roles have been changed from the configured ones. Information security can say more to those who need to know.'] : [])] }] : []),
      ],
      empty: '',
    };
  }
}
