import { clip, clipWords } from '../format.ts';
import type { Block } from '../slack-blocks.ts';
import { progressText, type DialogFormModel, type FormField } from './model.ts';

/** The callback id every dialog modal carries, so one handler serves every dialog. */
export const DIALOG_CALLBACK_ID = 'bluedesk.dialog';

/** What a dialog modal keeps in `private_metadata`. */
export interface DialogModalMetadata {
  sessionId: string;
  stepId: string;
}

/** A Slack modal view (for views.open / views.update / response_action update). */
export type SlackModal = Record<string, unknown> & { type: 'modal'; blocks: Block[] };

/** A dialog step as a Slack modal. Field errors travel separately, as `response_action: errors`. */
export function dialogFormModal(model: DialogFormModel): SlackModal {
  const metadata: DialogModalMetadata = { sessionId: model.sessionId, stepId: model.stepId };
  return {
    type: 'modal',
    callback_id: DIALOG_CALLBACK_ID,
    private_metadata: JSON.stringify(metadata),
    notify_on_close: true,
    title: { type: 'plain_text', text: clipWords(model.title, 24) },
    submit: { type: 'plain_text', text: clip(model.submitLabel, 24) },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...(progressText(model) ? [{ type: 'context', elements: [{ type: 'plain_text', text: progressText(model) }] }] : []),
      ...model.fields.map(inputBlock),
    ],
  };
}

/** Slack's inline errors for a step: block id → message. */
export function dialogFormErrors(model: DialogFormModel): Record<string, string> {
  return Object.fromEntries(model.fields.filter((f) => f.error).map((f) => [f.id, f.error!]));
}

function inputBlock(f: FormField): Block {
  return {
    type: 'input',
    block_id: f.id,
    optional: !f.required,
    label: { type: 'plain_text', text: clip(f.label, 2000) },
    ...(f.hint ? { hint: { type: 'plain_text', text: clip(f.hint, 2000) } } : {}),
    element: f.kind === 'multichoice' ? multiElement(f) : f.kind === 'choice' ? choiceElement(f) : textElement(f),
  };
}

function textElement(f: FormField): Record<string, unknown> {
  return {
    type: 'plain_text_input',
    action_id: f.id,
    multiline: f.kind === 'multiline',
    ...(f.maxLength ? { max_length: Math.min(f.maxLength, 3000) } : {}),
    ...(f.value ? { initial_value: f.value } : {}),
    ...(f.placeholder ? { placeholder: { type: 'plain_text', text: clip(f.placeholder, 150) } } : {}),
  };
}

function choiceElement(f: FormField): Record<string, unknown> {
  const options = (f.options ?? []).slice(0, 100).map((o) => ({ text: { type: 'plain_text', text: clip(o.title, 75) }, value: o.value }));
  const initial = options.find((o) => o.value === f.value);
  return {
    type: options.length <= 5 ? 'radio_buttons' : 'static_select',
    action_id: f.id,
    options,
    ...(initial ? { initial_option: initial } : {}),
  };
}

function multiElement(f: FormField): Record<string, unknown> {
  const options = (f.options ?? []).slice(0, 100).map((o) => ({ text: { type: 'plain_text', text: clip(o.title, 75) }, value: o.value }));
  const chosen = new Set(f.value ? f.value.split(',') : []);
  const initial = options.filter((o) => chosen.has(o.value));
  return { type: 'multi_static_select', action_id: f.id, options, ...(initial.length ? { initial_options: initial } : {}) };
}
