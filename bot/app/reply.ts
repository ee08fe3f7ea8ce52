import type { DialogFormModel } from '../../cards/dialog-form/model.ts';
import type { CardView } from '../../cards/index.ts';
import type { NoticeModel } from '../../cards/notice/model.ts';

/**
 * What Bluedesk answers a person with, for the adapter to render natively:
 * a dialog step (a Teams form card or a Slack modal), the same step with
 * inline errors, a card (the alert as it now stands, perhaps with a notice
 * for the person who acted), or a notice alone.
 */
export type Reply =
  | { kind: 'form'; form: DialogFormModel }
  | { kind: 'invalid'; form: DialogFormModel }
  | { kind: 'card'; card: CardView; notice?: NoticeModel }
  | { kind: 'notice'; notice: NoticeModel };

/** The notice for a change that did not happen, or nothing when it did. */
export function changeNotice(outcome: { kind: 'done' | 'not-found' } | { kind: 'refused' | 'invalid' | 'conflict'; reason: string }, id: string): NoticeModel | undefined {
  switch (outcome.kind) {
    case 'done': return undefined;
    case 'not-found': return { tone: 'error', title: 'Unknown escalation', lines: [`There is no escalation ${id}.`] };
    case 'refused': return { tone: 'warning', title: 'Not permitted', lines: [outcome.reason, 'Your attempt has been recorded.'] };
    case 'invalid': return { tone: 'warning', title: 'Not recorded', lines: [outcome.reason] };
    case 'conflict': return { tone: 'info', title: 'Already done', lines: [outcome.reason] };
  }
}
