import { describe, expect, it } from 'vitest';
import { dateProblem, isCalendarDate, ukDateTimeProblem, ukToday } from '../../dialogs/dates.ts';
import { leaverDialog } from '../../dialogs/leaver.ts';
import { recordDecisionDialog } from '../../dialogs/record-decision.ts';
import { appealDialogs } from '../../dialogs/appeal.ts';
import { fieldsOf, type DialogDefinition } from '../../dialogs/types.ts';
import { validateField } from '../../dialogs/validate.ts';

/** 7 Dec 2026, 23:30 in London (GMT): late enough that "today" in UTC and in the UK agree, and a time earlier today exists. */
const NOW = new Date('2026-12-07T23:30:00Z');
/** 30 Jun 2026, 23:30 UTC: already 1 July in the UK (BST). */
const SUMMER_NIGHT = new Date('2026-06-30T23:30:00Z');

function field(def: DialogDefinition, stepId: string, id: string, answers: Record<string, string> = {}) {
  const step = def.steps.find((s) => s.id === stepId)!;
  return fieldsOf(step, answers, NOW).find((f) => f.id === id)!;
}

describe('one validator for dates and times', () => {
  it('accepts only real calendar days: Date.parse rolls 2030-02-30 over to 2 March', () => {
    expect(isCalendarDate('2030-02-28')).toBe(true);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    for (const bad of ['2030-02-30', '2027-02-29', '2026-13-01', '2026-04-31', '2026-1-1', '2026-00-10']) expect(isCalendarDate(bad), bad).toBe(false);
    expect(dateProblem('2030-02-30', NOW)).toBe('2030-02-30 is not a date in the calendar. Enter it as YYYY-MM-DD, e.g. 2026-12-08.');
  });

  it('knows today is the UK’s day, and says what a future field needs', () => {
    expect(ukToday(SUMMER_NIGHT)).toBe('2026-07-01');
    expect(dateProblem('2026-06-30', SUMMER_NIGHT, { from: 'today' })).toBe('The date cannot be in the past (today is 2026-07-01).');
    expect(dateProblem('2026-07-01', SUMMER_NIGHT, { from: 'today' })).toBeUndefined();
    expect(dateProblem('2026-07-01', SUMMER_NIGHT, { from: 'tomorrow' })).toBe('The date must be after today (2026-07-01).');
  });

  it('takes UK local times with their zone, and a time earlier today is not in the future', () => {
    expect(ukDateTimeProblem('2026-12-07 22:00', NOW, { future: true })).toBe('The time must be in the future (it is 2026-12-07 23:30 now in the UK).');
    expect(ukDateTimeProblem('2026-12-08 09:00', NOW, { future: true })).toBeUndefined();
    expect(ukDateTimeProblem('2026-02-30 09:00', NOW)).toContain('is not a real date and time');
    expect(ukDateTimeProblem('tomorrow', NOW)).toBe('Enter the time as YYYY-MM-DD HH:MM in UK time, e.g. 2026-12-08 09:00.');
  });
});

describe('the forms use it', () => {
  const leaver = leaverDialog({ people: () => [], accounts: () => [], rolesOf: () => [] });

  it('a leaver’s effective date: a real day, not in the past, and the form shows no date that looks filled in', () => {
    const f = field(leaver, 'who', 'effectiveDate');
    expect(f.placeholder).toBeUndefined();
    expect(f.hint).toBe('Their last day in post, e.g. 2026-12-07 for today.');
    expect(validateField(f, '2030-02-30', {}, NOW)).toContain('is not a date in the calendar');
    expect(validateField(f, '2026-12-06', {}, NOW)).toBe('The effective date cannot be in the past. If they have already gone, use today (2026-12-07).');
    expect(validateField(f, '2026-12-07', {}, NOW)).toBeUndefined();
    // A PSD-related case may be dated when they actually went.
    expect(validateField(f, '2026-12-01', { psd: 'yes' }, NOW)).toBeUndefined();
  });

  it('a PSD-related leaver needs the reason the README says is given', () => {
    const f = field(leaver, 'who', 'psdReason', { canMarkPsd: 'yes' });
    expect(validateField(f, '', { psd: 'yes' }, NOW)).toBe('Say why it is PSD-related: only PSD and information security will see it.');
    expect(validateField(f, '', { psd: 'no' }, NOW)).toBeUndefined();
  });

  it('a decision’s review time: in the future, with an example that is', () => {
    const f = field(recordDecisionDialog, 'ndm', 'reviewAt');
    expect(f.placeholder).toBeUndefined();
    expect(f.hint).toContain('e.g. 2026-12-08 09:00');
    expect(validateField(f, '2026-12-07 22:00', {}, NOW)).toContain('must be in the future');
    expect(validateField(f, '2026-12-08 09:00', {}, NOW)).toBeUndefined();
  });

  it('an appeal’s review date: a real day after today', () => {
    const register = appealDialogs({ accounts: () => [], areas: [] })[0]!;
    const f = field(register, 'appeal', 'reviewDate');
    expect(validateField(f, '2026-12-07', {}, NOW)).toBe('The date must be after today (2026-12-07).');
    expect(validateField(f, '2026-02-31', {}, NOW)).toContain('not a date in the calendar');
  });
});
