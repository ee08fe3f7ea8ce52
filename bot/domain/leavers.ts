import type { AlsoChange } from './checkpoint.ts';
import type { Stamp } from './escalation.ts';
import type { ChecklistItem, LeaverCase, LeaverInput, LeaversState, RoleChange } from './leaver-types.ts';
import { mayTick } from './leaver-checklist.ts';
import type { Actor, Person } from './people.ts';
import { authorise, type Verdict } from './policy.ts';
import type { Outcome, Plan, RecordKeeper } from './record-keeper.ts';
import type { StateStore } from '../../data/state-store.ts';
import type { Role } from './roles.ts';

/** Who may start a case: comms, information security and PSD for anyone; a line manager for their own reports. */
export function mayStart(starter: Person, subject: Pick<Person, 'managerId'> | undefined): Verdict {
  if (authorise(starter, 'leaver.start').allowed) return { allowed: true };
  if (subject?.managerId === starter.id) return { allowed: true };
  return {
    allowed: false,
    reason: subject
      ? 'Only their line manager, corporate communications, information security or professional standards may start a leaver or mover case for this person.'
      : 'Only corporate communications, information security or professional standards may start a case for someone who is not in the directory.',
  };
}

/** Whether a person sees that a case is PSD-related, and why. */
export function seesRestricted(person: Person): boolean {
  return authorise(person, 'leaver.view_restricted').allowed;
}

/**
 * Leaver and mover cases, kept by the shared record keeper: opening (with an
 * immediate suspension for a PSD-related case), ticking items, PSD review,
 * the effective-date role removal, reminders and completion. Each case owns
 * its one entry in `roleChanges`, written in the same log record as the
 * change that makes it.
 */
export class LeaverCases {
  constructor(
    private readonly keeper: RecordKeeper<LeaverCase, LeaversState>,
    private readonly store: StateStore<LeaversState>,
  ) {}

  get(id: string): LeaverCase | undefined {
    return this.keeper.get(id);
  }

  all(): LeaverCase[] {
    return this.keeper.all();
  }

  /** The role changes every case has made, for the directory overlay. */
  roleChanges(): RoleChange[] {
    return Object.values(this.store.read().roleChanges);
  }

  /**
   * Opens a case; a PSD-related one suspends the person's roles in the same
   * record. Where its card goes is the flow's rule (`publishFor`).
   */
  open(actor: Actor, input: LeaverInput, opened: { items: ChecklistItem[]; dueAt: string; rolesAtOpen: Role[] }): Promise<LeaverCase> {
    return this.keeper.create(actor, 'leaver.opened', (id, stamp) => ({
      ...input, ...opened, id, status: 'open', restricted: input.psd !== 'no', requester: stamp, reminders: 0, copies: [],
    }), (c) => openedDetails(c), undefined, undefined, (c) => (c.psd === 'yes' ? this.suspension(c, c.requester.at) : []));
  }

  /** Ticks one item. Only its assignee, a holder of its role, or information security may. */
  tick(actor: Actor, id: string, itemId: string, newOwnerId?: string): Promise<Outcome<LeaverCase>> {
    return this.keeper.change(actor, id, undefined, (c) => {
      const item = c.items.find((i) => i.id === itemId);
      if (!item) return { reject: 'invalid', reason: `${c.id} has no item ${itemId}.` };
      if (!mayTick(item, actor.person)) return { reject: 'refused', reason: 'Only the person this item is assigned to, or information security, may tick it.', attempted: 'leaver.tick' };
      if (c.status !== 'open') return { reject: 'conflict', reason: `${c.id} is already complete.` };
      if (item.done) return { reject: 'conflict', reason: `Already ticked by ${item.done.name}.` };
      if (item.task === 'transfer_ownership' && !newOwnerId) return { reject: 'invalid', reason: 'Name the new owner first.' };
      return {
        log: { action: 'leaver.item_done', details: { item: item.id, task: item.task, ...(item.accountId ? { accountId: item.accountId } : {}), ...(newOwnerId ? { newOwnerId } : {}) } },
        apply: (x, stamp) => { doneItem(x, itemId, stamp, newOwnerId); },
        // Ticking "remove their Bluedesk roles" removes them now rather than on the effective date.
        ...(item.task === 'bluedesk_roles' ? { also: (after: LeaverCase) => this.removal(after, this.rolesLost(after), after.items.find((i) => i.id === itemId)!.done!.at) } : {}),
      };
    });
  }

  /** PSD's answer for a case someone marked "sensitive — PSD to review". */
  reviewPsd(actor: Actor, id: string, outcome: 'yes' | 'no', reason: string, now: string): Promise<Outcome<LeaverCase>> {
    return this.keeper.change(actor, id, 'leaver.review_psd', (c) => {
      if (c.psd !== 'review') return { reject: 'conflict', reason: `${c.id} is not waiting for a PSD review.` };
      if (!reason.trim()) return { reject: 'invalid', reason: 'Give the reason for the review outcome.' };
      return {
        log: { action: outcome === 'yes' ? 'leaver.psd_confirmed' : 'leaver.psd_cleared', reason: reason.trim() },
        apply: (x, stamp) => {
          x.psdReview = { ...stamp, outcome, reason: reason.trim() };
          x.psd = outcome;
          x.restricted = outcome === 'yes';
          if (outcome === 'yes') { x.psdReason = reason.trim(); x.dueAt = now; x.reminders = 0; }
        },
        ...(outcome === 'yes' ? { also: (after: LeaverCase) => this.suspension(after, now) } : {}),
      };
    });
  }

  /** Removes the person's Bluedesk roles (the effective date has come) and ticks that item for Bluedesk. */
  removeRoles(system: Actor, id: string, now: string): Promise<Outcome<LeaverCase>> {
    return this.keeper.change(system, id, undefined, (c) => {
      const item = c.items.find((i) => i.task === 'bluedesk_roles');
      if (!item || item.done || c.status !== 'open') return { reject: 'conflict', reason: 'Roles already removed.' };
      return {
        log: { action: 'leaver.roles_removed', details: { roles: this.rolesLost(c) } },
        apply: (x, stamp) => { doneItem(x, item.id, stamp); },
        also: (after) => this.removal(after, this.rolesLost(after), now),
      };
    });
  }

  /** Adds items for accounts the register lists the person on that the case did not cover (an account approved after it opened). */
  addItems(system: Actor, id: string, accountIds: string[], items: ChecklistItem[]): Promise<Outcome<LeaverCase>> {
    return this.keeper.change(system, id, undefined, (c) => {
      const fresh = accountIds.filter((a) => !c.accountIds.includes(a));
      if (!fresh.length || c.status !== 'open') return { reject: 'conflict', reason: 'Already covered.' };
      return {
        log: { action: 'leaver.items_added', reason: 'The register lists them on accounts the case did not cover.', details: { accountIds: fresh, items: items.map((i) => ({ item: i.id, task: i.task, accountId: i.accountId, assignee: i.assignee })) } },
        apply: (x) => { x.accountIds.push(...fresh); x.items.push(...items.filter((i) => fresh.includes(i.accountId ?? ''))); },
      };
    });
  }

  /** Moves a suspended person's items to information security. */
  reassignFrom(system: Actor, id: string, personId: string): Promise<Outcome<LeaverCase>> {
    return this.keeper.change(system, id, undefined, (c) => {
      const moving = c.items.filter((i) => !i.done && 'personId' in i.assignee && i.assignee.personId === personId);
      if (!moving.length || c.status !== 'open') return { reject: 'conflict', reason: 'Nothing to reassign.' };
      return {
        log: { action: 'leaver.items_reassigned', reason: 'The assignee is no longer available.', details: { items: moving.map((i) => i.id), to: 'information_security' } },
        apply: (x) => { for (const i of x.items) if (moving.some((m) => m.id === i.id)) i.assignee = { role: 'information_security' }; },
      };
    });
  }

  /**
   * Records that the timer reminded the assignees (bringing the count to
   * `reminders`) or sent the overdue case to the escalation people; the
   * messages travel with the record (see LeaverFlows.notifyFor).
   */
  chase(system: Actor, id: string, what: { reminders: number } | 'escalated', now: string): Promise<Outcome<LeaverCase>> {
    return this.keeper.change(system, id, undefined, (c) => {
      if (c.status !== 'open') return { reject: 'conflict', reason: 'complete' };
      if (what === 'escalated' && c.escalatedAt) return { reject: 'conflict', reason: 'already escalated' };
      if (what !== 'escalated' && what.reminders <= c.reminders) return { reject: 'conflict', reason: 'already reminded' };
      const outstanding = c.items.filter((i) => !i.done).map((i) => i.id);
      return {
        log: { action: what === 'escalated' ? 'leaver.escalated' : 'leaver.reminded', details: { outstanding, ...(what === 'escalated' ? {} : { reminder: what.reminders }) } },
        apply: (x) => { if (what === 'escalated') x.escalatedAt = now; else x.reminders = what.reminders; },
      };
    });
  }

  /**
   * Completes a case whose every item is done, listing each item, who did it
   * and when. `stillHeld` names accounts where the register still has the
   * person as owner or administrator: the case cannot complete while it does.
   */
  complete(system: Actor, id: string, stillHeld: (c: LeaverCase) => string[]): Promise<Outcome<LeaverCase>> {
    return this.keeper.change(system, id, undefined, (c): Plan<LeaverCase> => {
      if (c.status !== 'open') return { reject: 'conflict', reason: `${c.id} is already complete.` };
      const left = c.items.filter((i) => !i.done);
      if (left.length) return { reject: 'conflict', reason: `${left.length} item(s) still to do.` };
      const held = stillHeld(c);
      if (held.length) return { reject: 'invalid', reason: `The register still lists ${c.name} on ${held.join(', ')}: transfer or remove them before the case can close.` };
      return {
        log: {
          action: 'leaver.completed',
          details: { items: c.items.map((i) => ({ item: i.id, task: i.task, ...(i.accountId ? { accountId: i.accountId } : {}), by: i.done!.personId, byName: i.done!.name, at: i.done!.at })) },
        },
        apply: (x, stamp) => { x.status = 'complete'; x.completed = stamp; },
        // The suspension ends with the case: what the case removed stays removed; a mover keeps the roles the new post needs.
        also: (after) => this.ending(after),
      };
    });
  }

  /** The roles the case takes away: all of a leaver's, a mover's except those the new post needs. */
  private rolesLost(c: LeaverCase): Role[] {
    return c.rolesAtOpen.filter((r) => !(c.kind === 'mover' && c.keepRoles.includes(r)));
  }

  private current(caseId: string): RoleChange | undefined {
    const all = this.store.read().roleChanges;
    return Object.hasOwn(all, caseId) ? all[caseId] : undefined;
  }

  private suspension(c: LeaverCase, at: string): AlsoChange[] {
    if (!c.personId) return [];
    const was = this.current(c.id);
    return [{ collection: 'roleChanges', id: c.id, value: { ...(was ?? { personId: c.personId, caseId: c.id }), suspendedAt: was?.suspendedAt ?? at } satisfies RoleChange }];
  }

  private removal(c: LeaverCase, roles: Role[], at: string): AlsoChange[] {
    if (!c.personId) return [];
    const was = this.current(c.id);
    return [{ collection: 'roleChanges', id: c.id, value: { ...(was ?? { personId: c.personId, caseId: c.id }), removed: { roles, at } } satisfies RoleChange }];
  }

  private ending(c: LeaverCase): AlsoChange[] {
    const was = this.current(c.id);
    if (!was?.suspendedAt) return [];
    const { suspendedAt: _ended, ...rest } = was;
    return [{ collection: 'roleChanges', id: c.id, value: rest.removed ? rest : null }];
  }
}

function doneItem(c: LeaverCase, itemId: string, stamp: Stamp, newOwnerId?: string): void {
  const item = c.items.find((i) => i.id === itemId)!;
  item.done = { ...stamp, ...(newOwnerId ? { newOwnerId } : {}) };
}

/** What the opening record says. The PSD reason is part of the restricted record: it is in the log, which only PSD and information security can read through Bluedesk. */
function openedDetails(c: LeaverCase): Record<string, unknown> {
  return {
    kind: c.kind, personId: c.personId, name: c.name, effectiveDate: c.effectiveDate, psd: c.psd, restricted: c.restricted,
    ...(c.psdReason ? { psdReason: c.psdReason } : {}), accountIds: c.accountIds, keepRoles: c.keepRoles, keepAccountIds: c.keepAccountIds,
    ...(c.newPost ? { newPost: c.newPost } : {}), devices: c.devices, apps: c.apps, items: c.items.map((i) => ({ item: i.id, task: i.task, accountId: i.accountId, assignee: i.assignee })),
  };
}
