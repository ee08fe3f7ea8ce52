import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import type { Escalation } from '../domain/escalation.ts';
import type { DeliveryStatus } from './outbox/types.ts';

/**
 * The raiser's confirmation: where the alert actually went, where it is still
 * waiting and why, and what failed. A green tick only when it reached every
 * place; an urgent alert that reached nobody tells the raiser to phone.
 */
export function raisedNotice(e: Escalation, status: DeliveryStatus, deskPhone?: string): NoticeModel {
  // Below a surge's digest threshold there is no card of its own to deliver: the digest lists it.
  if (e.surge?.digest) {
    return notice('success', `Escalation ${e.id} raised`, `Severity: ${e.severity}.`,
      `Surge ${e.surge.id} is active, so it is listed in the surge digest in each desk channel (updated every few seconds) rather than posted on its own.`,
      'Critical and high escalations are still posted one by one. It can be acknowledged from /escalations.');
  }
  const waiting = status.pending.filter((p) => p.state !== 'sending');
  const sending = status.pending.filter((p) => p.state === 'sending');
  const lines = [
    `Severity: ${e.severity}.`,
    ...(e.route.outOfHours ? ['The desk is not staffed now: it has taken the out-of-hours route.'] : []),
    status.delivered.length ? `Delivered: ${status.delivered.join(', ')}.` : 'Delivered: nowhere yet.',
    ...(sending.length ? [`Still sending: ${sending.map((p) => p.place).join(', ')}.`] : []),
    ...(waiting.length ? [`Waiting: ${waiting.map((p) => `${p.place} (${p.reason})`).join('; ')}.`] : []),
    ...(status.failed.length ? [`Failed: ${status.failed.map((p) => `${p.place} (${p.reason})`).join('; ')}.`] : []),
  ];
  const nowhere = !status.delivered.length;
  const urgent = e.severity === 'critical' || e.severity === 'high';
  const unresolved = nowhere && !sending.length;
  if (!status.delivered.length && !status.pending.length && !status.failed.length) lines.push('No place is configured for this route on a connected platform.');
  if (urgent && unresolved) lines.push(deskPhone ? `It has reached no one. Phone the digital desk now on ${deskPhone}.` : 'It has reached no one. Phone the digital desk supervisor now.');
  else if (nowhere || waiting.length || status.failed.length) lines.push('Bluedesk keeps trying and tells the fallback places if it reaches no one.');
  const tone = !nowhere && !waiting.length && !status.failed.length && !sending.length ? 'success' : urgent && unresolved ? 'error' : 'warning';
  return notice(tone, `Escalation ${e.id} raised`, ...lines);
}
