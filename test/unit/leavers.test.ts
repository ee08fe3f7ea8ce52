import { describe, expect, it } from 'vitest';
import { leaversSchema } from '../../bot/config/schema-operations.ts';
import { LeaverAudiences } from '../../bot/app/leaver-audience.ts';
import { Destinations } from '../../bot/app/destinations.ts';
import { overdueAt, ukEndOfDay } from '../../bot/app/leaver-timers.ts';
import type { Account } from '../../bot/domain/account-types.ts';
import { ManualClock } from '../../bot/domain/clock.ts';
import { buildChecklist, mayTick } from '../../bot/domain/leaver-checklist.ts';
import { rolesNow, type LeaverCase, type LeaverInput } from '../../bot/domain/leaver-types.ts';
import { mayStart } from '../../bot/domain/leavers.ts';
import { Directory, type Person } from '../../bot/domain/people.ts';
import { toAdaptiveCard, toSlackMessage } from '../../cards/index.ts';
import { toLeaverInput } from '../../dialogs/leaver.ts';
import { leaverCard } from '../../cards/leaver-case/model.ts';
import { adaptiveCardProblems } from '../helpers/adaptive-cards.ts';
import { blockKitProblems } from '../helpers/block-kit.ts';
import { person, SLACK_TEAM, TENANT } from '../helpers/people.ts';

const SECRET = 'Misconduct investigation MX-ALPHA-7';
const HOSTILE = '${1+1} <!channel> *bold* {{DATE(2017-02-14T06:08:39Z,SHORT)}}';

const leaver = { ...person('jo.smith', ['digital_desk', 'corporate_comms']), name: 'J. Smith', managerId: 'mgr' };
const owner = person('olive.owner', ['neighbourhood'], ['north']);
const sec = person('sid.sec', ['information_security']);
const psd = person('pat.psd', ['professional_standards']);
const comms = person('cara.comms', ['corporate_comms']);
const manager = person('mgr', ['command']);
const bystander = person('bea.by', ['digital_desk']);
const people = [leaver, owner, sec, psd, comms, manager, bystander];

function account(id: string, handle: string, ownerId: string, adminIds: string[] = []): Account {
  return {
    id, state: 'active', platform: 'X', handle, displayName: handle, area: 'north', ownerId, adminIds, businessEmail: 'a@example.police.uk', reviewDate: '2027-01-01',
    verified: 'granted', requestId: 'REQ-00001', updatedAt: '2026-11-01T00:00:00Z', copies: [],
  };
}

const owned = account('ACC-00001', 'ExamplePolDesk', 'jo.smith');
const adminOn = account('ACC-00002', 'ExamplePolNorth', 'olive.owner', ['jo.smith']);

function input(over: Partial<LeaverInput> = {}): LeaverInput {
  return {
    kind: 'leaver', personId: 'jo.smith', name: 'J. Smith', effectiveDate: '2026-11-30', psd: 'yes', psdReason: SECRET,
    accountIds: ['ACC-00001', 'ACC-00002'], keepRoles: [], keepAccountIds: [], devices: ['Personal iPhone'], apps: ['Hootsuite'], ...over,
  };
}

const canAct = { canAct: (id: string) => id !== 'jo.smith' && people.some((p) => p.id === id) };

describe('the offboarding checklist', () => {
  const items = buildChecklist(input(), [owned, adminOn], canAct, leaver);

  it('covers every door: access, admin role, credentials, 2FA, sessions, ownership, apps, devices and roles', () => {
    expect(items.filter((i) => i.accountId === 'ACC-00002').map((i) => i.task)).toEqual(['smmp_access', 'admin_role', 'rotate_credentials', 'remove_2fa', 'logout_sessions']);
    expect(items.filter((i) => i.accountId === 'ACC-00001').map((i) => i.task)).toEqual(['smmp_access', 'admin_role', 'rotate_credentials', 'remove_2fa', 'logout_sessions', 'transfer_ownership']);
    expect(items.filter((i) => !i.accountId).map((i) => i.task)).toEqual(['revoke_apps', 'personal_devices', 'bluedesk_roles']);
    expect(items.map((i) => i.id)).toEqual(items.map((_, n) => String(n + 1)));
  });

  it('gives an account’s items to its owner, and those of an account the leaver owns to information security', () => {
    expect(new Set(items.filter((i) => i.accountId === 'ACC-00002').map((i) => JSON.stringify(i.assignee)))).toEqual(new Set([JSON.stringify({ personId: 'olive.owner' })]));
    expect(items.filter((i) => i.accountId !== 'ACC-00002').every((i) => 'role' in i.assignee && i.assignee.role === 'information_security')).toBe(true);
  });

  it('says what to do and never why', () => {
    for (const i of items) expect(i.text).not.toContain(SECRET);
    expect(items.find((i) => i.task === 'admin_role' && i.accountId === 'ACC-00002')!.text).toBe("Remove J. Smith's admin access to X @ExamplePolNorth on the platform");
  });

  it('lets a mover keep what the new post needs and lose the rest', () => {
    const mover = buildChecklist(input({ kind: 'mover', keepAccountIds: ['ACC-00002'], keepRoles: ['digital_desk', 'corporate_comms'], apps: [], devices: [] }), [owned, adminOn], canAct, leaver);
    expect(mover.some((i) => i.accountId === 'ACC-00002')).toBe(false);
    expect(mover.some((i) => i.task === 'bluedesk_roles')).toBe(false);
    expect(mover.some((i) => i.task === 'transfer_ownership')).toBe(true);
  });

  it('numbers items added later after the existing ones', () => {
    expect(buildChecklist(input(), [adminOn], canAct, leaver, { after: 12, accountsOnly: true }).map((i) => i.id)).toEqual(['13', '14', '15', '16', '17']);
  });

  it('lets only the assignee, a holder of the assigned role, or information security tick an item', () => {
    const ownersItem = items.find((i) => i.accountId === 'ACC-00002')!;
    const secItem = items.find((i) => i.task === 'revoke_apps')!;
    expect([mayTick(ownersItem, owner), mayTick(ownersItem, sec), mayTick(ownersItem, bystander), mayTick(ownersItem, psd)]).toEqual([true, true, false, false]);
    expect([mayTick(secItem, owner), mayTick(secItem, sec)]).toEqual([false, true]);
  });
});

describe('who may start a case', () => {
  it.each([
    ['the line manager, for their report', manager, leaver, true],
    ['a line manager, for someone else’s report', manager, owner, false],
    ['corporate communications, for anyone', comms, owner, true],
    ['information security, for someone not in the directory', sec, undefined, true],
    ['a line manager, for someone not in the directory', manager, undefined, false],
    ['anyone else', bystander, owner, false],
  ] as const)('%s: %s', (_what, starter, subject, allowed) => {
    expect(mayStart(starter, subject).allowed).toBe(allowed);
  });
});

describe('the PSD question in the dialog', () => {
  it('is read only from PSD and information security; anyone else can only ask for a PSD review', () => {
    const answers = { kind: 'leaver', personId: 'jo.smith', effectiveDate: '2026-11-30', psd: 'yes', psdReason: 'x', sensitive: 'no' };
    expect(toLeaverInput({ ...answers, canMarkPsd: 'no' }, () => 'J. Smith').psd).toBe('no');
    expect(toLeaverInput({ ...answers, canMarkPsd: 'no', sensitive: 'yes' }, () => 'J. Smith').psd).toBe('review');
    expect(toLeaverInput({ ...answers, canMarkPsd: 'yes' }, () => 'J. Smith')).toMatchObject({ psd: 'yes', psdReason: 'x' });
  });
});

describe('roles now', () => {
  it('are none while suspended, and lose what was removed', () => {
    expect(rolesNow(['digital_desk', 'command'], [{ personId: 'p', caseId: 'LVR-1', suspendedAt: 'x' }])).toEqual([]);
    expect(rolesNow(['digital_desk', 'command'], [{ personId: 'p', caseId: 'LVR-1', removed: { roles: ['command'], at: 'x' } }])).toEqual(['digital_desk']);
  });
});

describe('the end of a UK day', () => {
  it('is midnight UK time, GMT or BST', () => {
    expect(ukEndOfDay('2026-11-25')).toBe('2026-11-26T00:00:00.000Z');
    expect(ukEndOfDay('2026-07-01')).toBe('2026-07-01T23:00:00.000Z');
  });
});

describe('what each person sees of a restricted case', () => {
  const directory = new Directory(people, [TENANT], [SLACK_TEAM]);
  const clock = new ManualClock(new Date('2026-11-25T14:00:00Z'));
  const audiences = new LeaverAudiences({
    directory, destinations: new Destinations({}, directory), clock, overdueAt: (x) => overdueAt(x, leaversSchema.parse({})),
    names: { person: (id) => directory.get(id)?.name ?? id, account: (id) => ({ 'ACC-00001': 'X @ExamplePolDesk', 'ACC-00002': 'X @ExamplePolNorth' })[id] ?? id },
  });
  const items = buildChecklist(input({ name: `J. Smith ${HOSTILE}` }), [owned, adminOn], canAct, leaver);
  const c: LeaverCase = {
    ...input({ name: `J. Smith ${HOSTILE}` }), id: 'LVR-00001', status: 'open', restricted: true, rolesAtOpen: leaver.roles, items, dueAt: '2026-11-25T14:00:00.000Z', reminders: 0, copies: [],
    requester: { personId: 'pat.psd', name: 'Pat Standards', via: { platform: 'system' }, at: '2026-11-25T14:00:00.000Z' },
  };
  const text = (p: Person) => JSON.stringify(audiences.cardFor(c, p) ?? null);

  it('is due at once, but not shown overdue the moment it opens: only once the escalation people are told (4 hours by default)', () => {
    expect(text(psd)).not.toMatch(/overdue/i);
    clock.advance(4 * 3_600_000 + 60_000);
    expect(text(psd)).toContain('Overdue: it was due');
    clock.advance(-(4 * 3_600_000 + 60_000));
  });

  it('PSD and information security see that it is PSD-related, and why', () => {
    expect(text(psd)).toContain(SECRET);
    expect(text(sec)).toContain(SECRET);
  });

  it('an assignee sees only their own items and what to do, never why', () => {
    const seen = text(owner);
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toMatch(/PSD|Restricted|professional standards/);
    expect(seen).toContain('@ExamplePolNorth');
    expect(seen).not.toContain('@ExamplePolDesk');
  });

  it('comms, the line manager, a bystander and the person themselves see nothing', () => {
    for (const p of [comms, manager, bystander, leaver]) expect(audiences.cardFor(c, p)).toBeUndefined();
  });

  it('never renders for a channel', () => {
    expect(audiences.forPlace(c, 'slack:C0COMMSAPP')).toBeUndefined();
    expect(audiences.forPlace(c, 'teams:19:comms@thread.tacv2:')).toBeUndefined();
    expect(audiences.forPlace({ ...c, restricted: false, psd: 'no' }, 'slack:C0COMMSAPP')).toBeDefined();
  });

  it('renders within both platforms’ limits, with user text as plain text', () => {
    for (const p of [psd, owner]) {
      const view = audiences.cardFor(c, p)!;
      expect(adaptiveCardProblems(toAdaptiveCard(view))).toEqual([]);
      if (view.kind !== 'dialog-form') expect(blockKitProblems(toSlackMessage(view), 'message')).toEqual([]);
      expect(JSON.stringify(toAdaptiveCard(view))).toContain('${1+1}');
    }
  });
});

describe('a leaver on many accounts', () => {
  const many = Array.from({ length: 8 }, (_, i) => account(`ACC-1000${i}`, `ExamplePolArea${i}`, i % 2 ? 'jo.smith' : 'olive.owner', ['jo.smith']));
  const items = buildChecklist(input({ accountIds: many.map((a) => a.id) }), many, canAct, leaver);
  const base: LeaverCase = {
    ...input({ accountIds: many.map((a) => a.id) }), id: 'LVR-00009', status: 'open', restricted: false, psd: 'no', rolesAtOpen: leaver.roles, items, dueAt: '2026-12-01T00:00:00.000Z', reminders: 0, copies: [],
    requester: { personId: 'cara.comms', name: 'Cara Comms', via: { platform: 'system' }, at: '2026-11-25T14:00:00.000Z' },
  };
  const names = { person: (id: string) => id, account: (id: string) => id };
  const card = (c: LeaverCase) => ({ kind: 'checklist' as const, model: leaverCard(c, { level: 'channel' }, names, '2026-11-25T15:00:00.000Z') });

  it('stays within both platforms’ limits, showing open items first and saying what is left off', () => {
    expect(items.length).toBeGreaterThan(40);
    for (const c of [base, { ...base, items: items.map((i, n) => (n < 20 ? { ...i, done: base.requester } : i)) }]) {
      const view = card(c);
      expect(adaptiveCardProblems(toAdaptiveCard(view))).toEqual([]);
      expect(blockKitProblems(toSlackMessage(view), 'message')).toEqual([]);
      const shown = view.model.groups.flatMap((g) => g.lines);
      expect(shown).toHaveLength(28);
      expect(view.model.hiddenText).toMatch(/more item\(s\) are not shown/);
    }
    // With 20 done, every open item is on the card (the ones left off are done).
    const partly = card({ ...base, items: items.map((i, n) => (n < 20 ? { ...i, done: base.requester } : i)) });
    expect(partly.model.groups.flatMap((g) => g.lines).filter((l) => !l.done)).toHaveLength(items.length - 20);
    expect(partly.model.hiddenText).toContain('(all done)');
  });
});
