import { SURGE_ACTIONS, TRIGGERS, type SurgeActionId, type SurgeInput, type SurgeLevel, type Trigger } from '../bot/domain/surge-types.ts';
import type { FormOption } from '../cards/dialog-form/model.ts';
import { oneFieldDialog, textField } from './one-field.ts';
import type { Answers, DialogDefinition, FieldDef } from './types.ts';

export const SURGE_ACTIVATE = 'surge-activate';
export const SURGE_LEVEL = 'surge-level';
export const SURGE_STAND_DOWN = 'surge-stand-down';
export const SURGE_AVAILABLE_FROM = 'surge-available-from';

/** What the surge dialog needs from the config, the directory and the register. */
export interface SurgeDialogContext {
  areas: ReadonlyArray<{ id: string; name: string }>;
  people: () => FormOption[];
  accounts: () => FormOption[];
  /** The playbook's actions for a trigger and level. */
  playbook: (trigger: Trigger, level: number) => SurgeActionId[];
}

const LEVELS: FormOption[] = [{ value: '1', title: 'Level 1: elevated' }, { value: '2', title: 'Level 2: surge' }, { value: '3', title: 'Level 3: full surge' }];
const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);

/**
 * `/surge`: the trigger and level, the incident, what it affects, how long,
 * who is in charge, and the actions, pre-selected from the playbook for the
 * trigger and level (and editable).
 */
export function surgeDialog(ctx: SurgeDialogContext): DialogDefinition {
  const scope = (): FieldDef[] => {
    const accounts = ctx.accounts();
    return [
      { id: 'areas', label: 'Affected areas (none for force-wide)', kind: 'multichoice', required: false, options: ctx.areas.map((a) => ({ value: a.id, title: a.name })) },
      ...(accounts.length ? [{ id: 'accountIds', label: 'Affected official accounts', kind: 'multichoice', required: false, options: accounts } satisfies FieldDef] : []),
      { id: 'expectedDuration', label: 'Expected duration', kind: 'text', required: true, maxLength: 100, placeholder: 'e.g. 6 hours, or until the match ends' },
      { id: 'inChargeId', label: 'Who is in charge', kind: 'choice', required: true, options: ctx.people() },
    ];
  };
  return {
    id: SURGE_ACTIVATE,
    title: 'Activate a surge',
    submitLabel: 'Activate',
    steps: [
      {
        id: 'what', title: 'What and how big',
        fields: [
          { id: 'trigger', label: 'Trigger', kind: 'choice', required: true, options: Object.entries(TRIGGERS).map(([value, title]) => ({ value, title })) },
          { id: 'level', label: 'Level', kind: 'choice', required: true, options: LEVELS },
          { id: 'incidentName', label: 'Incident name', kind: 'text', required: true, maxLength: 120 },
          { id: 'incidentRef', label: 'Incident reference (optional)', kind: 'text', required: false, maxLength: 60, hint: 'One surge at a time per incident: the reference (or the name) identifies it.' },
        ],
      },
      { id: 'scope', title: 'Scope and command', fields: scope },
      {
        id: 'actions', title: 'Actions',
        prefill: (a) => ({ actions: ctx.playbook(a.trigger as Trigger, Number(a.level)).join(',') }),
        fields: [{ id: 'actions', label: 'Actions to take (pre-selected from the playbook)', kind: 'multichoice', required: false, options: Object.entries(SURGE_ACTIONS).map(([value, title]) => ({ value, title })) }],
      },
    ],
  };
}

/** The short forms behind surge card buttons and commands. */
export function surgeStepDialogs(): DialogDefinition[] {
  return [
    {
      id: SURGE_LEVEL, title: 'Change the level', submitLabel: 'Change level',
      steps: [{ id: 'level', title: 'New level', fields: [{ id: 'level', label: 'Level', kind: 'choice', required: true, options: LEVELS }, textField('reason', 'Why?')] }],
    },
    oneFieldDialog(SURGE_STAND_DOWN, 'Stand down', 'Stand down', textField('debrief', 'Debrief note: what happened, what worked, what to change')),
    oneFieldDialog(SURGE_AVAILABLE_FROM, 'Available from', 'Send', {
      id: 'from', label: 'Available from (HH:MM, UK time)', kind: 'text', required: true, maxLength: 5,
      validate: (v) => (/^([01]\d|2[0-3]):[0-5]\d$/.test(v) ? undefined : 'Give the time as HH:MM, e.g. 18:30.'),
    }),
  ];
}

/** The dialog's answers as the domain's input. */
export function toSurgeInput(a: Answers): SurgeInput {
  return {
    trigger: (a.trigger ?? 'other') as Trigger,
    level: Math.min(3, Math.max(1, Number(a.level) || 1)) as SurgeLevel,
    incidentName: a.incidentName ?? '',
    incidentRef: a.incidentRef ?? '',
    accountIds: list(a.accountIds),
    areas: list(a.areas),
    expectedDuration: a.expectedDuration ?? '',
    inChargeId: a.inChargeId ?? '',
    actions: list(a.actions).filter((x): x is SurgeActionId => Object.hasOwn(SURGE_ACTIONS, x)),
  };
}
