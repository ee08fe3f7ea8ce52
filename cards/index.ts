import { caseCardAdaptive } from './case-card/adaptive.ts';
import { checklistAdaptive } from './checklist/adaptive.ts';
import { checklistBlocks } from './checklist/blockkit.ts';
import type { ChecklistCardModel } from './checklist/model.ts';
import { caseCardBlocks } from './case-card/blockkit.ts';
import type { CaseCardModel } from './case-card/model.ts';
import { dialogFormAdaptive } from './dialog-form/adaptive.ts';
import type { DialogFormModel } from './dialog-form/model.ts';
import { escalationAlertAdaptive } from './escalation-alert/adaptive.ts';
import { escalationAlertBlocks } from './escalation-alert/blockkit.ts';
import type { EscalationAlertModel } from './escalation-alert/model.ts';
import { noticeAdaptive } from './notice/adaptive.ts';
import { noticeBlocks } from './notice/blockkit.ts';
import type { NoticeModel } from './notice/model.ts';
import { recordListAdaptive } from './record-list/adaptive.ts';
import { recordListBlocks } from './record-list/blockkit.ts';
import type { RecordListModel } from './record-list/model.ts';
import type { SlackMessage } from './slack-blocks.ts';
import type { AdaptiveCard } from './template.ts';

/** Every card the bot can post as a message, tagged by use. */
export type CardView =
  | { kind: 'escalation-alert'; model: EscalationAlertModel }
  | { kind: 'notice'; model: NoticeModel }
  | { kind: 'record-list'; model: RecordListModel }
  | { kind: 'case'; model: CaseCardModel }
  | { kind: 'checklist'; model: ChecklistCardModel }
  | { kind: 'dialog-form'; model: DialogFormModel };

/** Renders any card for Teams. */
export function toAdaptiveCard(view: CardView): AdaptiveCard {
  switch (view.kind) {
    case 'escalation-alert': return escalationAlertAdaptive(view.model);
    case 'notice': return noticeAdaptive(view.model);
    case 'record-list': return recordListAdaptive(view.model);
    case 'case': return caseCardAdaptive(view.model);
    case 'checklist': return checklistAdaptive(view.model);
    case 'dialog-form': return dialogFormAdaptive(view.model);
  }
}

/**
 * Renders a message card for Slack. Dialog forms are modals in Slack, not
 * messages; adapters render them with `dialogFormModal` instead.
 */
export function toSlackMessage(view: Exclude<CardView, { kind: 'dialog-form' }>): SlackMessage {
  switch (view.kind) {
    case 'escalation-alert': return escalationAlertBlocks(view.model);
    case 'notice': return noticeBlocks(view.model);
    case 'record-list': return recordListBlocks(view.model);
    case 'case': return caseCardBlocks(view.model);
    case 'checklist': return checklistBlocks(view.model);
  }
}

export type { AdaptiveCard, SlackMessage };
