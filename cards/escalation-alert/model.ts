import { describeDecision } from '../../bot/domain/decisions.ts';
import { CATEGORY_LABELS, type Escalation, type Severity } from '../../bot/domain/escalation.ts';
import { ukDateTime, ukTimeZoned } from '../format.ts';

/** Where an alert has really been delivered, as the outbox knows it. */
export interface AlertDelivery {
  delivered: string[];
  pending: Array<{ place: string; state: 'sending' | 'waiting' | 'retrying'; reason: string }>;
  failed: Array<{ place: string; reason: string }>;
}

/** A label and a user- or config-supplied value, always shown as plain text. */
export interface Fact {
  label: string;
  value: string;
}

/**
 * Adaptive Card text colours a note can take. Green and yellow text fall
 * below 4.5:1 contrast on a white card (the Playground's and older
 * clients' colours), so a success or a warning is told by its symbol and
 * words in the default colour; only an error is red.
 */
export type NoteColor = 'Attention' | 'Default';

/** A note's colour for a notice tone. */
export function noteColorFor(tone: 'info' | 'success' | 'warning' | 'error'): NoteColor {
  return tone === 'error' ? 'Attention' : 'Default';
}

/** A button on the alert; the verb is what both platforms send back. */
export interface AlertAction {
  verb: string;
  title: string;
  style: 'positive' | 'default';
}

/** The escalation alert as both platforms show it. */
export interface EscalationAlertModel {
  id: string;
  severity: Severity;
  /** Severity in words (with a symbol), so meaning never rests on colour alone. */
  heading: string;
  /** Adaptive Card container style for the severity band. */
  style: 'attention' | 'warning' | 'accent' | 'emphasis';
  link: string;
  summary: string;
  facts: Fact[];
  /** Things to notice about how it was routed (default route, out of hours). */
  flags: string[];
  status: Escalation['status'];
  statusText: string;
  /** The latest decision in words, including a moderation action's community-guideline reason. */
  latestDecision: string;
  actions: AlertAction[];
  /** A message for the one person viewing (Teams invoke responses), e.g. who acknowledged first. Empty for everyone else. */
  note: string;
  /** The note's colour, from the tone of what it says (a success is not red). */
  noteColor: NoteColor;
  /** A one-line plain description for notifications and screen readers. */
  fallbackText: string;
}

/** What the alert needs to name things it only has ids for. */
export interface AlertNames {
  area: (id: string) => string;
  delivery: (e: Escalation) => AlertDelivery;
  tier: (tier: number) => string;
}

const SEVERITY_WORD: Record<Severity, { symbol: string; word: string; style: EscalationAlertModel['style'] }> = {
  critical: { symbol: '🔴', word: 'CRITICAL', style: 'attention' },
  high: { symbol: '🟠', word: 'HIGH', style: 'warning' },
  medium: { symbol: '🟡', word: 'MEDIUM', style: 'accent' },
  low: { symbol: '⚪', word: 'LOW', style: 'emphasis' },
};

/** Builds the alert's view model from the stored escalation. */
export function escalationAlertModel(e: Escalation, names: AlertNames): EscalationAlertModel {
  const sev = SEVERITY_WORD[e.severity];
  const category = CATEGORY_LABELS[e.category];
  const delivery = names.delivery(e);
  const facts: Fact[] = [
    { label: 'Category', value: category },
    { label: 'Platform', value: e.platform },
    ...(e.forceAccount ? [{ label: 'Force account', value: e.forceAccount }] : []),
    { label: 'Area', value: names.area(e.area) },
    { label: 'Raised by', value: e.raised.name },
    { label: 'Raised', value: ukDateTime(e.raised.at) },
    { label: 'Routed to', value: delivery.delivered.join(', ') || 'not delivered anywhere yet' },
  ];
  if (e.authorIsVictimOrWitness === 'yes') {
    facts.push({
      label: 'Author',
      value: e.authorAlreadyEngaged
        ? 'Victim or witness who has already engaged with the force on this channel'
        : 'Victim or witness who has NOT engaged with the force on this channel: do not contact them through corporate channels',
    });
  }
  const flags = [
    ...(e.route.outOfHours ? ['Raised out of hours: the desk was not staffed (recorded as an unmonitored period)'] : []),
    ...(e.route.defaulted ? ['No routing rule matched: sent on the default route'] : []),
    ...(e.fallback ? ['Delivered by fallback: no routed place had received it in time'] : []),
    ...(e.surge ? [`SURGE: raised during surge ${e.surge.id} (level ${e.surge.level}); surge service levels apply`] : []),
    // Only what is known to be stuck: a place still being sent to for the first time is not a warning.
    ...delivery.pending.filter((p) => p.state !== 'sending').map((p) => `Not delivered yet to ${p.place}: ${p.reason}`),
    ...delivery.failed.map((f) => `Could not be delivered to ${f.place}: ${f.reason}`),
  ];
  const statusText = statusLine(e, names);
  const last = e.decisions.at(-1);
  return {
    id: e.id,
    severity: e.severity,
    heading: `${sev.symbol} ${sev.word} · ${category} · ${e.id}`,
    style: sev.style,
    link: e.contentUrl,
    summary: e.summary,
    facts,
    flags,
    status: e.status,
    statusText,
    latestDecision: last ? `${describeDecision(last)}, by ${last.by.name} at ${ukTimeZoned(last.by.at)}` : '',
    actions: actionsFor(e),
    note: '',
    noteColor: 'Default',
    fallbackText: `${sev.word} escalation ${e.id}: ${category}. ${statusText}.`,
  };
}

function statusLine(e: Escalation, names: AlertNames): string {
  const parts: string[] = [];
  if (e.status === 'closed') parts.push(`Closed by ${e.closed!.name} at ${ukTimeZoned(e.closed!.at)}`);
  else if (e.acknowledged) parts.push(`Acknowledged by ${e.acknowledged.name} at ${ukTimeZoned(e.acknowledged.at)}`);
  else parts.push('Awaiting acknowledgement');
  if (e.owner && e.status !== 'closed') parts.push(`Owner: ${e.owner.name}`);
  if (e.tier > 0) parts.push(`Escalated to ${names.tier(e.tier)}`);
  if (e.notes.length) parts.push(`${e.notes.length} note${e.notes.length > 1 ? 's' : ''}`);
  return parts.join(' · ');
}

/** At most five buttons: the Adaptive Card limit Teams applies. The content link is on the card itself. */
function actionsFor(e: Escalation): AlertAction[] {
  if (e.status === 'closed') return [{ verb: 'escalation.reopen', title: 'Reopen', style: 'default' }];
  return [
    e.acknowledged
      ? { verb: 'escalation.close', title: 'Close', style: 'default' }
      : { verb: 'escalation.acknowledge', title: 'Acknowledge', style: 'positive' },
    { verb: 'escalation.decide', title: 'Record decision', style: e.acknowledged ? 'positive' : 'default' },
    { verb: 'escalation.assign', title: 'Assign', style: 'default' },
    { verb: 'escalation.note', title: 'Add note', style: 'default' },
    { verb: 'escalation.escalate', title: 'Escalate', style: 'default' },
  ];
}
