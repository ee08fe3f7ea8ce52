import { describe, expect, it } from 'vitest';
import type { Escalation } from '../../bot/domain/escalation.ts';
import { dialogFormAdaptive } from '../../cards/dialog-form/adaptive.ts';
import { dialogFormModal } from '../../cards/dialog-form/slack-modal.ts';
import { escalationAlertModel, noteColorFor } from '../../cards/escalation-alert/model.ts';
import { toAdaptiveCard, toSlackMessage, type CardView } from '../../cards/index.ts';
import { noticeModal } from '../../cards/notice/blockkit.ts';
import { notice } from '../../cards/notice/model.ts';
import { escalationIntakeDialog } from '../../dialogs/escalation-intake.ts';
import { adaptiveCardProblems, inputIds } from '../helpers/adaptive-cards.ts';
import { blockKitProblems } from '../helpers/block-kit.ts';
import { strings } from '../helpers/text.ts';
import { escalationFixture, testNames } from '../helpers/escalation.ts';
import { fieldsOf } from '../../dialogs/types.ts';

const HOSTILE = '${1+1} ${summary} <!channel> <https://evil.example|click> *bold* [link](https://evil.example) {{DATE(2017-02-14T06:08:39Z,SHORT)}}';

function escalation(over: Partial<Escalation> = {}): Escalation {
  return escalationFixture({ summary: HOSTILE, ...over });
}

const alert = (e: Escalation): CardView => ({ kind: 'escalation-alert', model: escalationAlertModel(e, testNames) });

const views: Array<[string, CardView]> = [
  ['open alert', alert(escalation())],
  ['acknowledged alert', alert(escalation({ status: 'acknowledged', acknowledged: { personId: 'j', name: 'Insp. Jones', via: { platform: 'slack', userId: 'U1', teamId: 'T1' }, at: '2026-07-01T13:05:00Z' } }))],
  ['victim alert', alert(escalation({ authorIsVictimOrWitness: 'yes', authorAlreadyEngaged: false, forceAccount: '@ExamplePolice' }))],
  ['notice', { kind: 'notice', model: notice('warning', 'Not permitted', 'Only Command may acknowledge.', HOSTILE) }],
];

describe('cards render the same view model for both platforms', () => {
  it.each(views)('%s is a valid Adaptive Card 1.5 within Teams limits', (_n, view) => {
    const card = toAdaptiveCard(view);
    expect(card.version).toBe('1.5');
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it.each(views)('%s is a valid Block Kit message within Slack limits', (_n, view) => {
    if (view.kind === 'dialog-form') return;
    expect(blockKitProblems(toSlackMessage(view), 'message')).toEqual([]);
  });

  it('shows user text literally on both platforms: never evaluated, never markup', () => {
    const view = alert(escalation());
    const card = toAdaptiveCard(view);
    // Appears whole, only inside TextRuns (which Teams never parses as markdown).
    const runs: string[] = [];
    JSON.stringify(card, (k, v) => {
      if (v && typeof v === 'object' && v.type === 'TextRun') runs.push(v.text);
      return v;
    });
    expect(runs).toContain(HOSTILE);
    expect(strings(card).filter((s) => s.includes('<!channel>')).every((s) => runs.includes(s) || s === card.speak)).toBe(true);

    const slack = toSlackMessage(view as Exclude<CardView, { kind: 'dialog-form' }>);
    const literal = JSON.stringify(slack.blocks);
    expect(literal).toContain(JSON.stringify(HOSTILE).slice(1, -1));
    // The mrkdwn fallback text never carries user text unescaped.
    expect(slack.text).not.toContain('<!channel>');
    for (const b of slack.blocks) {
      if (b.type === 'section' && (b.text as { type: string }).type === 'mrkdwn') expect(JSON.stringify(b)).not.toContain('<!channel>');
    }
  });

  it('says severity and status in words, not only colour', () => {
    const card = toAdaptiveCard(alert(escalation()));
    expect(strings(card).join(' ')).toMatch(/CRITICAL/);
    expect(strings(card).join(' ')).toMatch(/Awaiting acknowledgement/);
    expect(card.speak).toMatch(/CRITICAL escalation ESC-00042/);
  });

  it('shows UK local time (BST in summer)', () => {
    expect(strings(toAdaptiveCard(alert(escalation()))).join(' ')).toContain('14:03 BST');
  });

  it('offers Acknowledge with an Action.Submit fallback until acknowledged', () => {
    const open = toAdaptiveCard(alert(escalation())) as any;
    expect(open.actions[0]).toMatchObject({ type: 'Action.Execute', verb: 'escalation.acknowledge', data: { escalationId: 'ESC-00042' }, fallback: { type: 'Action.Submit', data: { verb: 'escalation.acknowledge', escalationId: 'ESC-00042' } } });
    expect(open.actions.map((a: any) => a.title)).toEqual(['Acknowledge', 'Record decision', 'Assign', 'Add note', 'Escalate']);
    const acked = toAdaptiveCard(views[1]![1]) as any;
    expect(acked.actions.map((a: any) => a.title)).toEqual(['Close', 'Record decision', 'Assign', 'Add note', 'Escalate']);
    const closed = toAdaptiveCard(alert(escalation({ status: 'closed', closed: { personId: 'j', name: 'Insp. Jones', via: { platform: 'system' }, at: '2026-07-01T14:00:00Z' } }))) as any;
    expect(closed.actions.map((a: any) => a.title)).toEqual(['Reopen']);
    expect(JSON.stringify(open)).toContain('"selectAction":{"type":"Action.OpenUrl","title":"Open content","url":"https://x.com/a/status/1"}');
  });
});

describe('no card renders data as markdown', () => {
  // Every string a card shows comes from data; a TextBlock would render it as markdown (a live link, bold, a list).
  const hostileEverywhere: Array<[string, CardView]> = [
    ['notice heading', { kind: 'notice', model: notice('warning', HOSTILE, HOSTILE) }],
    ['record list', { kind: 'record-list', model: { title: HOSTILE, subtitle: HOSTILE, items: [], empty: HOSTILE } }],
    ['case card', { kind: 'case', model: { subjectId: 'LVR-00001', heading: HOSTILE, style: 'accent', facts: [{ label: HOSTILE, value: HOSTILE }], flags: [HOSTILE], statusText: HOSTILE, actions: [], note: HOSTILE, noteColor: 'Default', fallbackText: HOSTILE } }],
    ['dialog form', { kind: 'dialog-form', model: { sessionId: 's', stepId: 'a', title: HOSTILE, stepTitle: HOSTILE, stepNumber: 1, stepCount: 1, stepCountMax: 1, subject: HOSTILE, submitLabel: 'Go', errorSummary: HOSTILE, fields: [{ id: 'a', label: 'A', kind: 'text', required: true, value: '', hint: HOSTILE, error: HOSTILE }] } }],
  ];
  it.each(hostileEverywhere)('%s: user text only ever in TextRuns, never a TextBlock', (_n, view) => {
    const card = toAdaptiveCard(view);
    const blocks: string[] = [];
    const runs: string[] = [];
    JSON.stringify(card, (_k, v) => {
      if (v && typeof v === 'object' && v.type === 'TextBlock') blocks.push(String(v.text));
      if (v && typeof v === 'object' && v.type === 'TextRun') runs.push(String(v.text));
      return v;
    });
    expect(blocks.filter((t) => t.includes('evil.example'))).toEqual([]);
    expect(runs.some((t) => t.includes('[link](https://evil.example)'))).toBe(true);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });
});

describe('dialog forms', () => {
  const def = escalationIntakeDialog([{ id: 'north', name: 'North Division' }, { id: 'south', name: 'South Division' }]);
  const model = {
    sessionId: 's-1', stepId: 'content', title: def.title, stepTitle: 'What was seen', stepNumber: 1, stepCount: 2, stepCountMax: 3, submitLabel: 'Next',
    errorSummary: 'Please correct the field marked below.',
    fields: fieldsOf(def.steps[0]!, {}, new Date()).map((f) => ({ ...f, validate: undefined, value: f.id === 'summary' ? HOSTILE : '', ...(f.id === 'contentUrl' ? { error: 'Enter a full link.' } : {}) })),
  };

  it('renders a valid Teams form with unique input ids and inline errors', () => {
    const card = dialogFormAdaptive(model);
    expect(adaptiveCardProblems(card)).toEqual([]);
    const ids = inputIds(card);
    expect(ids).toEqual(['contentUrl', 'platform', 'forceAccount', 'category', 'summary', 'area', 'capturedText']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(JSON.stringify(card)).toContain('⚠️ Enter a full link.');
    const summary = JSON.stringify(card);
    expect(summary).toContain(JSON.stringify(HOSTILE).slice(1, -1));
  });

  it('renders a valid Slack modal', () => {
    const modal = dialogFormModal(model);
    expect(blockKitProblems(modal as any, 'modal')).toEqual([]);
    expect(modal.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['contentUrl', 'platform', 'forceAccount', 'category', 'summary', 'area', 'capturedText']);
    expect(blockKitProblems(noticeModal(notice('success', 'Escalation ESC-00001 raised', 'ok')) as any, 'modal')).toEqual([]);
  });
});

describe('the card checkers themselves', () => {
  it('catch unknown elements, bad values, duplicate ids and leftover template directives', () => {
    const bad = {
      type: 'AdaptiveCard', version: '1.5',
      body: [
        { type: 'Blink', text: 'x' },
        { type: 'Input.Text', id: 'a' },
        { type: 'Input.Text', id: 'a' },
        { type: 'TextBlock', text: 'x', $when: '${x}' },
        { type: 'TextBlock', text: 'x', colour: 'red' },
      ],
      actions: [{ type: 'Action.Execute', verb: 'v', title: 'Go', fallback: { type: 'Action.Submit', title: 'Go', verbb: 'typo' } }],
    };
    const problems = adaptiveCardProblems(bad);
    expect(problems.some((p) => /Blink/i.test(p))).toBe(true);
    expect(problems.some((p) => /duplicate input ids/.test(p))).toBe(true);
    expect(problems.some((p) => /template directive/.test(p))).toBe(true);
    expect(problems).toContain('unknown property .body[4].colour');
    expect(problems).toContain('unknown property .actions[0].fallback.verbb');
  });

  it('catch Block Kit payloads over Slack limits', () => {
    const problems = blockKitProblems({ blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }, ...Array.from({ length: 50 }, () => ({ type: 'divider' }))] }, 'message');
    expect(problems).toEqual(['51 blocks > 50', 'header text too long']);
  });
});

describe('what people read', () => {
  it('cuts a Slack modal title at a word, not mid-word', () => {
    expect((noticeModal(notice('success', 'Escalation ESC-00001 raised')).title as { text: string }).text).toBe('Escalation ESC-00001…');
  });

  it('shows acknowledgement and decision times with their zone, like "Raised"', () => {
    const stamp = { personId: 'j', name: 'Insp. Jones', via: { platform: 'slack' as const, userId: 'U1', teamId: 'T1' }, at: '2026-07-01T13:05:00Z' };
    const model = escalationAlertModel(escalationFixture({ status: 'acknowledged', acknowledged: stamp }), testNames);
    expect(model.statusText).toContain('Acknowledged by Insp. Jones at 14:05 BST');
  });

  it('says on the alert where it could not be delivered, and never colours a success red', () => {
    const model = escalationAlertModel(escalationFixture(), { ...testNames, delivery: () => ({ delivered: ['#escalations'], pending: [{ place: 'Teams › Escalations', state: 'waiting', reason: 'Bluedesk is not installed in that Teams channel yet' }], failed: [] }) });
    expect(model.facts.find((f) => f.label === 'Routed to')!.value).toBe('#escalations');
    expect(model.flags).toContain('Not delivered yet to Teams › Escalations: Bluedesk is not installed in that Teams channel yet');
    const card = toAdaptiveCard({ kind: 'escalation-alert', model: { ...model, note: '✅ Decision recorded', noteColor: noteColorFor('success') } });
    expect(JSON.stringify(card)).not.toContain('"color":"Attention"');
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it('never puts text in green or yellow, which fall below 4.5:1 contrast on a white card: tone is in symbols and words', () => {
    const colours = new Set<string>();
    const model = escalationAlertModel(escalationFixture({ authorIsVictimOrWitness: 'yes', authorAlreadyEngaged: false }), testNames);
    for (const tone of ['info', 'success', 'warning', 'error'] as const) {
      for (const view of [{ kind: 'escalation-alert', model: { ...model, note: 'x', noteColor: noteColorFor(tone) } }, { kind: 'notice', model: notice(tone, 'Title', 'line') }] as CardView[]) {
        JSON.stringify(toAdaptiveCard(view), (_k, v) => {
          if (v && typeof v === 'object' && typeof v.color === 'string') colours.add(v.color);
          return v;
        });
      }
    }
    expect([...colours].filter((c) => c === 'Good' || c === 'Warning')).toEqual([]);
  });
});
