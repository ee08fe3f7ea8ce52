import { describe, expect, it } from 'vitest';
import { allowedActions, authorise, POLICY, type Action } from '../../bot/domain/policy.ts';
import { ROLES, type Role } from '../../bot/domain/roles.ts';
import { person } from '../helpers/people.ts';

// The policy table, restated as the guidance reads, so a change to either shows up here.
type Grant = 'force' | 'own-area' | 'no';
const row = (g: [Grant, Grant, Grant, Grant, Grant, Grant, Grant, Grant]): Record<Role, Grant> => ({
  corporate_comms: g[0], digital_desk: g[1], information_management: g[2], information_security: g[3],
  investigations_intelligence: g[4], neighbourhood: g[5], professional_standards: g[6], command: g[7],
});
const EXPECTED: Record<Action, Record<Role, Grant>> = {
  //                          comms     desk     infoman  infosec  inv&int  neighb      psd      command
  'escalation.raise':       row(['force', 'force', 'force', 'force', 'force', 'force', 'force', 'force']),
  'escalation.acknowledge': row(['force', 'force', 'no', 'no', 'force', 'own-area', 'force', 'force']),
  'escalation.assign':      row(['force', 'force', 'no', 'no', 'no', 'no', 'no', 'force']),
  'escalation.note':        row(['force', 'force', 'force', 'force', 'force', 'own-area', 'force', 'force']),
  'escalation.decide':      row(['force', 'force', 'no', 'no', 'force', 'own-area', 'force', 'force']),
  'escalation.escalate':    row(['force', 'force', 'no', 'no', 'force', 'own-area', 'force', 'force']),
  'escalation.close':       row(['force', 'force', 'no', 'no', 'force', 'own-area', 'force', 'force']),
  'escalation.reopen':      row(['force', 'force', 'no', 'no', 'no', 'no', 'no', 'force']),
  'escalation.view':        row(['force', 'force', 'force', 'force', 'force', 'own-area', 'force', 'force']),
  'account.request':        row(['force', 'force', 'force', 'force', 'force', 'force', 'force', 'force']),
  'account.approve_comms':  row(['force', 'no', 'no', 'no', 'no', 'no', 'no', 'no']),
  'account.approve_infosec': row(['no', 'no', 'no', 'force', 'no', 'no', 'no', 'no']),
  'account.setup':          row(['force', 'force', 'force', 'force', 'force', 'force', 'force', 'force']),
  'account.close':          row(['force', 'force', 'force', 'force', 'force', 'force', 'force', 'force']),
  'account.approve_closure': row(['force', 'no', 'no', 'no', 'no', 'no', 'no', 'no']),
  'account.view':           row(['force', 'force', 'force', 'force', 'force', 'force', 'force', 'force']),
  'impersonation.report':   row(['force', 'force', 'force', 'force', 'force', 'force', 'force', 'force']),
  'impersonation.update':   row(['force', 'no', 'no', 'force', 'no', 'no', 'no', 'no']),
  'routes.view':            row(['force', 'force', 'no', 'no', 'no', 'no', 'no', 'force']),
  // Movers and leavers (a line manager may also start one for their own reports: tested in leavers.test.ts).
  'leaver.start':           row(['force', 'no', 'no', 'force', 'no', 'no', 'force', 'no']),
  'leaver.mark_psd':        row(['no', 'no', 'no', 'force', 'no', 'no', 'force', 'no']),
  'leaver.review_psd':      row(['no', 'no', 'no', 'no', 'no', 'no', 'force', 'no']),
  'leaver.view':            row(['force', 'no', 'no', 'force', 'no', 'no', 'force', 'no']),
  'leaver.view_restricted': row(['no', 'no', 'no', 'force', 'no', 'no', 'force', 'no']),
  'leaver.tick_any':        row(['no', 'no', 'no', 'force', 'no', 'no', 'no', 'no']),
  'person.view':            row(['force', 'force', 'no', 'force', 'no', 'no', 'force', 'force']),
  'surge.activate':         row(['force', 'force', 'no', 'no', 'no', 'no', 'no', 'force']),
  'surge.manage':           row(['force', 'force', 'no', 'no', 'no', 'no', 'no', 'force']),
  'surge.view':             row(['force', 'force', 'force', 'force', 'force', 'force', 'force', 'force']),
  'records.search':         row(['force', 'force', 'force', 'force', 'no', 'no', 'force', 'force']),
  'records.export':         row(['no', 'no', 'force', 'no', 'no', 'no', 'force', 'no']),
  'records.view_restricted': row(['no', 'no', 'no', 'force', 'no', 'no', 'force', 'no']),
  'records.hold':           row(['no', 'no', 'force', 'no', 'no', 'no', 'force', 'no']),
  'records.retention':      row(['no', 'no', 'force', 'no', 'no', 'no', 'no', 'no']),
  'appeal.register':        row(['force', 'force', 'no', 'no', 'force', 'own-area', 'no', 'no']),
  'appeal.close':           row(['force', 'force', 'no', 'no', 'force', 'own-area', 'no', 'force']),
  'appeal.view':            row(['force', 'force', 'force', 'force', 'force', 'force', 'force', 'force']),
};

describe('policy table', () => {
  const cases = (Object.keys(EXPECTED) as Action[]).flatMap((action) => ROLES.map((role) => [action, role, EXPECTED[action][role]] as const));

  it.each(cases)('%s by %s is %s', (action, role, expected) => {
    const p = person(`p-${role}`, [role], ['north']);
    const inArea = authorise(p, action, { area: 'north' }).allowed;
    const outOfArea = authorise(p, action, { area: 'south' }).allowed;
    expect({ inArea, outOfArea }).toEqual({
      inArea: expected !== 'no',
      outOfArea: expected === 'force',
    });
  });

  it('covers every action in the table and nothing else', () => {
    expect(Object.keys(POLICY).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('explains a refusal by naming who may', () => {
    const v = authorise(person('im', ['information_management']), 'escalation.acknowledge', { area: 'north' });
    expect(v).toEqual({ allowed: false, reason: expect.stringContaining('Command') });
  });

  it('without a subject, an area-scoped role may act if it has an area', () => {
    expect(authorise(person('n', ['neighbourhood'], ['north']), 'escalation.view').allowed).toBe(true);
    expect(authorise(person('n', ['neighbourhood'], []), 'escalation.view').allowed).toBe(false);
  });

  it('a neighbourhood officer with no area cannot acknowledge anywhere', () => {
    expect(authorise(person('n', ['neighbourhood'], []), 'escalation.acknowledge', { area: 'north' }).allowed).toBe(false);
  });

  it('lists allowed actions for help', () => {
    expect(allowedActions(person('im', ['information_management']))).toEqual(['escalation.raise', 'escalation.note', 'escalation.view', 'account.request', 'account.setup', 'account.close', 'account.view', 'impersonation.report', 'surge.view', 'records.search', 'records.export', 'records.hold', 'records.retention', 'appeal.view']);
    expect(allowedActions(person('cmd', ['command']))).toEqual((Object.keys(EXPECTED) as Action[]).filter((a) => EXPECTED[a].command !== 'no'));
  });
});
