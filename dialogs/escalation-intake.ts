import {
  CATEGORIES, CATEGORY_LABELS, SOCIAL_PLATFORMS,
  type Attachment, type Category, type EscalationInput, type SocialPlatform, type VictimWitness,
} from '../bot/domain/escalation.ts';
import { urlProblem } from './validate.ts';
import type { Answers, DialogDefinition } from './types.ts';

export const ESCALATION_INTAKE = 'escalation-intake';

/** Hosts we can recognise, so `/escalate <url>` pre-fills the platform too. */
const HOSTS: Array<[RegExp, SocialPlatform]> = [
  [/(^|\.)(x|twitter)\.com$/, 'X'],
  [/(^|\.)(facebook|fb)\.com$/, 'Facebook'],
  [/(^|\.)instagram\.com$/, 'Instagram'],
  [/(^|\.)tiktok\.com$/, 'TikTok'],
  [/(^|\.)(youtube\.com|youtu\.be)$/, 'YouTube'],
  [/(^|\.)threads\.(net|com)$/, 'Threads'],
  [/(^|\.)bsky\.app$/, 'Bluesky'],
  [/(^|\.)linkedin\.com$/, 'LinkedIn'],
  [/(^|\.)nextdoor\.(com|co\.uk)$/, 'Nextdoor'],
  [/(^|\.)snapchat\.com$/, 'Snapchat'],
  [/(^|\.)reddit\.com$/, 'Reddit'],
  [/(^|\.)whatsapp\.com$/, 'WhatsApp'],
];

/** The escalation intake dialog, with the force's areas as choices. */
export function escalationIntakeDialog(areas: ReadonlyArray<{ id: string; name: string }>): DialogDefinition {
  return {
    id: ESCALATION_INTAKE,
    title: 'Escalate online content',
    submitLabel: 'Raise escalation',
    steps: [
      {
        id: 'content',
        title: 'What was seen',
        fields: [
          { id: 'contentUrl', label: 'Link to the content', kind: 'url', required: true, maxLength: 2000, placeholder: 'https://…' },
          { id: 'platform', label: 'Platform', kind: 'choice', required: true, options: SOCIAL_PLATFORMS.map((p) => ({ value: p, title: p })) },
          { id: 'forceAccount', label: 'Force account it appeared on (optional)', kind: 'text', required: false, maxLength: 100, placeholder: '@ExamplePolice' },
          { id: 'category', label: 'Category', kind: 'choice', required: true, options: CATEGORIES.map((c) => ({ value: c, title: CATEGORY_LABELS[c] })) },
          { id: 'summary', label: 'Summary', kind: 'multiline', required: true, maxLength: 1500, hint: 'What it says and why it matters. No more personal data than needed.' },
          { id: 'area', label: 'Area', kind: 'choice', required: true, options: areas.map((a) => ({ value: a.id, title: a.name })) },
          {
            id: 'capturedText', label: 'Text of the post as you saw it (optional)', kind: 'multiline', required: false, maxLength: 4000,
            hint: 'Only a SHA-256 fingerprint is kept, so a later dispute can show what was seen.',
          },
        ],
      },
      {
        id: 'author',
        title: 'About the author',
        fields: [
          {
            id: 'authorIsVictimOrWitness', label: 'Is the author a victim or witness?', kind: 'choice', required: true,
            options: [{ value: 'yes', title: 'Yes' }, { value: 'no', title: 'No' }, { value: 'unknown', title: 'Not known' }],
          },
        ],
      },
      {
        id: 'engagement',
        title: 'Contact with a victim or witness',
        when: (a) => a.authorIsVictimOrWitness === 'yes',
        fields: [
          {
            id: 'authorAlreadyEngaged', label: 'Have they already engaged with the force on this channel?', kind: 'choice', required: true,
            hint: 'College of Policing guidance (APP) forbids contacting victims or witnesses through corporate channels unless they have already engaged with us there.',
            options: [{ value: 'yes', title: 'Yes, they have engaged with us here' }, { value: 'no', title: 'No' }],
          },
        ],
      },
    ],
  };
}

/** Parses `/escalate <url> <text>` (or any text with a link in it) into prefilled answers. */
export function prefillFromText(text: string): Answers {
  const trimmed = text.trim();
  if (!trimmed) return {};
  const words = trimmed.split(/\s+/);
  const at = words.findIndex((w) => urlProblem(w) === undefined);
  if (at < 0) return { summary: trimmed };
  const url = words[at]!;
  const answers: Answers = { contentUrl: url };
  const host = new URL(url).hostname.toLowerCase();
  const platform = HOSTS.find(([re]) => re.test(host))?.[1];
  if (platform) answers.platform = platform;
  const rest = words.filter((_, i) => i !== at).join(' ');
  if (rest) answers.summary = rest;
  return answers;
}

/** Context key holding attachments (JSON) found on the platform when the dialog started. */
export const ATTACHMENTS_KEY = 'attachments';

/** Turns a completed dialog's answers into the domain's input. */
export function toEscalationInput(a: Answers): EscalationInput {
  const victim = a.authorIsVictimOrWitness as VictimWitness;
  const attachments = a[ATTACHMENTS_KEY] ? (JSON.parse(a[ATTACHMENTS_KEY]) as Attachment[]) : [];
  return {
    ...(a.capturedText ? { capturedText: a.capturedText } : {}),
    ...(attachments.length ? { attachments } : {}),
    contentUrl: a.contentUrl!,
    platform: a.platform as SocialPlatform,
    ...(a.forceAccount ? { forceAccount: a.forceAccount } : {}),
    category: a.category as Category,
    summary: a.summary!,
    area: a.area!,
    authorIsVictimOrWitness: victim,
    ...(victim === 'yes' ? { authorAlreadyEngaged: a.authorAlreadyEngaged === 'yes' } : {}),
  };
}
