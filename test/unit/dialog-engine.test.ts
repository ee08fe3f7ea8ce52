import { progressText } from '../../cards/dialog-form/model.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/domain/clock.ts';
import { emptyState } from '../../bot/state.ts';
import { JournaledStateStore, readStored } from '../../data/journal-store.ts';
import { DialogEngine } from '../../dialogs/engine.ts';
import { ESCALATION_INTAKE, escalationIntakeDialog, prefillFromText, toEscalationInput } from '../../dialogs/escalation-intake.ts';
import { ADD_NOTE, escalationStepDialogs } from '../../dialogs/escalation-steps.ts';
import { RECORD_DECISION, recordDecisionDialog } from '../../dialogs/record-decision.ts';

const AREAS = [{ id: 'north', name: 'North' }];
const STEP1 = { contentUrl: 'https://x.com/a/1', platform: 'X', category: 'other', summary: 'A post', area: 'north' };

describe('dialog engine', () => {
  let file: string;
  let clock: ManualClock;
  const engine = async () => new DialogEngine(await JournaledStateStore.open(file, emptyState), [escalationIntakeDialog(AREAS)], clock);

  beforeEach(async () => {
    file = join(await mkdtemp(join(tmpdir(), 'dlg-')), 'state.json');
    clock = new ManualClock(new Date('2026-11-25T10:00:00Z'));
  });

  it('counts steps without jumping: the decision form opens at most one of three branch steps', async () => {
    const e = new DialogEngine(await JournaledStateStore.open(file, emptyState), [recordDecisionDialog, ...escalationStepDialogs(() => [])], clock);
    const first = await e.start(RECORD_DECISION, 'p1', { escalationId: 'ESC-00001', severity: 'low' });
    expect(progressText(first)).toBe('ESC-00001 · Step 1 of 2 or 3: Decision');
    const second = await e.submit(first.sessionId, 'p1', 'type', { decisionType: 'moderation.hide' });
    expect(second.kind === 'next' && progressText(second.form)).toBe('ESC-00001 · Step 2 of 3: Community guideline');
    const other = await e.start(RECORD_DECISION, 'p1', { escalationId: 'ESC-00001', severity: 'low' });
    const reason = await e.submit(other.sessionId, 'p1', 'type', { decisionType: 'referral.intelligence' });
    expect(reason.kind === 'next' && progressText(reason.form)).toBe('ESC-00001 · Step 2 of 2: Reason');
  });

  it('a one-step form does not repeat its field as a step title', async () => {
    const e = new DialogEngine(await JournaledStateStore.open(file, emptyState), escalationStepDialogs(() => []), clock);
    const note = await e.start(ADD_NOTE, 'p1', { escalationId: 'ESC-00001' });
    expect(progressText(note)).toBe('ESC-00001');
    expect(note.fields.map((f) => f.label)).toEqual(['Note']);
  });

  it('pre-fills from "/escalate <url> <text>"', () => {
    expect(prefillFromText('https://www.tiktok.com/@x/video/1 fake appeal')).toEqual({ contentUrl: 'https://www.tiktok.com/@x/video/1', platform: 'TikTok', summary: 'fake appeal' });
    expect(prefillFromText('no link here')).toEqual({ summary: 'no link here' });
    expect(prefillFromText('javascript:alert(1) hi')).toEqual({ summary: 'javascript:alert(1) hi' });
    expect(prefillFromText('   ')).toEqual({});
  });

  it('validates every field and keeps what was typed', async () => {
    const e = await engine();
    const form = await e.start(ESCALATION_INTAKE, 'p1');
    const r = await e.submit(form.sessionId, 'p1', 'content', { ...STEP1, contentUrl: 'not a url', category: 'made-up', summary: 'x'.repeat(1501) });
    expect(r.kind).toBe('invalid');
    if (r.kind !== 'invalid') return;
    const errors = Object.fromEntries(r.form.fields.filter((f) => f.error).map((f) => [f.id, f.error]));
    expect(errors).toEqual({
      contentUrl: 'Enter a full link starting with https:// or http://.',
      category: 'Choose one of the options for Category.',
      summary: 'Summary must be at most 1500 characters (it has 1501).',
    });
    expect(r.form.fields.find((f) => f.id === 'contentUrl')!.value).toBe('not a url');
    expect(r.form.errorSummary).toBe('Please correct 3 fields marked below.');
  });

  it('branches: a victim or witness gets the engagement step, others do not', async () => {
    const e = await engine();
    for (const [answer, expectSteps] of [['yes', 3], ['no', 2]] as const) {
      const form = await e.start(ESCALATION_INTAKE, 'p1');
      const s2 = await e.submit(form.sessionId, 'p1', 'content', STEP1);
      expect(s2.kind === 'next' && s2.form.stepId).toBe('author');
      // The author step may add a step, so it neither promises the end nor a fixed count.
      expect(s2.kind === 'next' && [s2.form.stepNumber, s2.form.stepCount, s2.form.stepCountMax, s2.form.submitLabel]).toEqual([2, 2, 3, 'Continue']);
      expect(s2.kind === 'next' && progressText(s2.form)).toBe('Step 2 of 2 or 3: About the author');
      const s3 = await e.submit(form.sessionId, 'p1', 'author', { authorIsVictimOrWitness: answer });
      if (answer === 'yes') {
        expect(s3.kind === 'next' && [s3.form.stepId, s3.form.stepNumber, s3.form.stepCount, s3.form.stepCountMax, s3.form.submitLabel]).toEqual(['engagement', expectSteps, expectSteps, expectSteps, 'Raise escalation']);
        const done = await e.submit(form.sessionId, 'p1', 'engagement', { authorAlreadyEngaged: 'yes' });
        expect(done.kind).toBe('complete');
        if (done.kind === 'complete') expect(toEscalationInput(done.session.answers)).toMatchObject({ authorIsVictimOrWitness: 'yes', authorAlreadyEngaged: true });
      } else {
        expect(s3.kind).toBe('complete');
        if (s3.kind === 'complete') expect(toEscalationInput(s3.session.answers)).not.toHaveProperty('authorAlreadyEngaged');
      }
    }
  });

  it('survives a restart mid-dialog', async () => {
    const first = await engine();
    const form = await first.start(ESCALATION_INTAKE, 'p1', { contentUrl: 'https://x.com/a/1' });
    await first.submit(form.sessionId, 'p1', 'content', STEP1);
    const second = await engine();
    expect(second.current(form.sessionId, 'p1')?.stepId).toBe('author');
    expect((await second.submit(form.sessionId, 'p1', 'author', { authorIsVictimOrWitness: 'no' })).kind).toBe('complete');
  });

  it('will not complete twice, even on a double click', async () => {
    const e = await engine();
    const form = await e.start(ESCALATION_INTAKE, 'p1');
    await e.submit(form.sessionId, 'p1', 'content', STEP1);
    const [a, b] = await Promise.all([
      e.submit(form.sessionId, 'p1', 'author', { authorIsVictimOrWitness: 'no' }),
      e.submit(form.sessionId, 'p1', 'author', { authorIsVictimOrWitness: 'no' }),
    ]);
    expect([a.kind, b.kind].sort()).toEqual(['already-complete', 'complete']);
    await e.finish(form.sessionId, 'ESC-00001');
    const again = await e.submit(form.sessionId, 'p1', 'author', { authorIsVictimOrWitness: 'no' });
    expect(again.kind === 'already-complete' && again.session.resultId).toBe('ESC-00001');
  });

  it('refuses another person’s session, a cancelled one, and an expired one', async () => {
    const e = await engine();
    const form = await e.start(ESCALATION_INTAKE, 'p1');
    expect(await e.submit(form.sessionId, 'p2', 'content', STEP1)).toMatchObject({ kind: 'gone', message: expect.stringContaining('someone else') });
    const other = await e.start(ESCALATION_INTAKE, 'p1');
    expect(await e.cancel(other.sessionId, 'p1')).toBe(true);
    expect(await e.cancel(other.sessionId, 'p1')).toBe(false);
    expect(await e.submit(other.sessionId, 'p1', 'content', STEP1)).toMatchObject({ kind: 'gone' });
    clock.advance(25 * 60 * 60 * 1000);
    expect(await e.submit(form.sessionId, 'p1', 'content', STEP1)).toMatchObject({ kind: 'gone', message: expect.stringContaining('expired') });
  });

  it('a stale step (an old card) shows the current step instead of re-answering', async () => {
    const e = await engine();
    const form = await e.start(ESCALATION_INTAKE, 'p1');
    await e.submit(form.sessionId, 'p1', 'content', STEP1);
    const stale = await e.submit(form.sessionId, 'p1', 'content', { ...STEP1, summary: 'changed' });
    expect(stale.kind === 'next' && stale.form.stepId).toBe('author');
  });
});

describe('lowdb state store', () => {
  it('groups a burst of changes into few writes, and every change is on disk when its update resolves', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'store-')), 'state.json');
    const store = await JournaledStateStore.open(file, emptyState);
    const { readFile } = await import('node:fs/promises');
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.update((s) => { s.seenEvents[`e${i}`] = 'x'; }).then(async () => {
      expect((await readStored(file) as { seenEvents: Record<string, string> }).seenEvents[`e${i}`]).toBe('x');
    })));
    // A hundred changes, a handful of journal lines.
    expect((await readFile(file.replace(/json$/, 'journal'), 'utf8')).trim().split('\n').length).toBeLessThanOrEqual(5);
    const reopened = await JournaledStateStore.open(file, emptyState);
    expect(Object.keys(reopened.read().seenEvents)).toHaveLength(100);
  });
});

describe('dialog data minimisation', () => {
  it('drops answers when a dialog completes, and forgets sessions idle for two days', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'dlg-')), 'state.json');
    const clock = new ManualClock(new Date('2026-11-25T10:00:00Z'));
    const store = await JournaledStateStore.open(file, emptyState);
    const e = new DialogEngine(store, [escalationIntakeDialog(AREAS)], clock);
    const done = await e.start(ESCALATION_INTAKE, 'p1');
    await e.submit(done.sessionId, 'p1', 'content', { ...STEP1, capturedText: 'personal data' });
    await e.submit(done.sessionId, 'p1', 'author', { authorIsVictimOrWitness: 'no' });
    await e.finish(done.sessionId, 'ESC-00001');
    expect(store.read().dialogs[done.sessionId]).toMatchObject({ status: 'completed', resultId: 'ESC-00001', answers: {} });
    const abandoned = await e.start(ESCALATION_INTAKE, 'p1', { summary: 'left open' });
    clock.advance(49 * 60 * 60 * 1000);
    await e.start(ESCALATION_INTAKE, 'p2');
    expect(store.read().dialogs[abandoned.sessionId]).toBeUndefined();
    expect(store.read().dialogs[done.sessionId]).toBeUndefined();
  });
});
