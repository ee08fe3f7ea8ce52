import { describe, expect, it } from 'vitest';
import { allowedActions, authorise, POLICY, type Action } from '../../bot/domain/policy.ts';
import { ROLES, type Role } from '../../bot/domain/roles.ts';
import { person } from '../helpers/people.ts';

// The policy table, restated as the guidance reads, so a change to either shows up here.
const EXPECTED: Record<Action, Record<Role, 'force' | 'own-area' | 'no'>> = {
  'escalation.raise': {
    corporate_comms: 'force', digital_desk: 'force', information_management: 'force', information_security: 'force',
    investigations_intelligence: 'force', neighbourhood: 'force', professional_standards: 'force', command: 'force',
  },
  'escalation.acknowledge': {
    corporate_comms: 'force', digital_desk: 'force', information_management: 'no', information_security: 'no',
    investigations_intelligence: 'force', neighbourhood: 'own-area', professional_standards: 'force', command: 'force',
  },
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

  it('a neighbourhood officer with no area cannot acknowledge anywhere', () => {
    expect(authorise(person('n', ['neighbourhood'], []), 'escalation.acknowledge', { area: 'north' }).allowed).toBe(false);
  });

  it('lists allowed actions for help', () => {
    expect(allowedActions(person('im', ['information_management']))).toEqual(['escalation.raise']);
    expect(allowedActions(person('cmd', ['command']))).toEqual(['escalation.raise', 'escalation.acknowledge']);
  });
});
