import { CATEGORY_LABELS, type Escalation, type Severity } from '../../bot/domain/escalation.ts';
import { ukDateTime, ukTime } from '../format.ts';

/** A label and a user- or config-supplied value, always shown as plain text. */
export interface Fact {
  label: string;
  value: string;
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
  status: 'open' | 'acknowledged';
  statusText: string;
  canAcknowledge: boolean;
  /** A message for the one person viewing (Teams invoke responses), e.g. who acknowledged first. Empty for everyone else. */
  note: string;
  /** A one-line plain description for notifications and screen readers. */
  fallbackText: string;
}

const SEVERITY_WORD: Record<Severity, { symbol: string; word: string; style: EscalationAlertModel['style'] }> = {
  critical: { symbol: '🔴', word: 'CRITICAL', style: 'attention' },
  high: { symbol: '🟠', word: 'HIGH', style: 'warning' },
  medium: { symbol: '🟡', word: 'MEDIUM', style: 'accent' },
  low: { symbol: '⚪', word: 'LOW', style: 'emphasis' },
};

/** Builds the alert's view model from the stored escalation. */
export function escalationAlertModel(e: Escalation, areaName: (id: string) => string): EscalationAlertModel {
  const sev = SEVERITY_WORD[e.severity];
  const category = CATEGORY_LABELS[e.category];
  const facts: Fact[] = [
    { label: 'Category', value: category },
    { label: 'Platform', value: e.platform },
    ...(e.forceAccount ? [{ label: 'Force account', value: e.forceAccount }] : []),
    { label: 'Area', value: areaName(e.area) },
    { label: 'Raised by', value: e.raised.name },
    { label: 'Raised', value: ukDateTime(e.raised.at) },
    { label: 'Link', value: e.contentUrl },
  ];
  if (e.authorIsVictimOrWitness === 'yes') {
    facts.push({
      label: 'Author',
      value: e.authorAlreadyEngaged
        ? 'Victim or witness who has already engaged with the force on this channel'
        : 'Victim or witness who has NOT engaged with the force on this channel: do not contact them through corporate channels',
    });
  }
  const statusText = e.acknowledged
    ? `Acknowledged by ${e.acknowledged.name} at ${ukTime(e.acknowledged.at)}`
    : 'Awaiting acknowledgement';
  return {
    id: e.id,
    severity: e.severity,
    heading: `${sev.symbol} ${sev.word} · ${category} · ${e.id}`,
    style: sev.style,
    link: e.contentUrl,
    summary: e.summary,
    facts,
    status: e.status,
    statusText,
    canAcknowledge: !e.acknowledged,
    note: '',
    fallbackText: `${sev.word} escalation ${e.id}: ${category}. ${statusText}.`,
  };
}
