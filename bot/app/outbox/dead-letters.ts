import type { DeadLetter, OutboxItem, OutboxState } from './types.ts';

/**
 * Puts dead letters back in the outbox, as new attempts with a fresh
 * deadline: the runbook's replay, once the place they failed for can take
 * them again (the bot was added back to the channel, a permission restored).
 * Call inside a state update. Returns the ids revived.
 */
export function reviveDeadLetters(state: OutboxState, ids: readonly string[] | 'all', now: Date, retryForHours: { alerts: number; other: number }): string[] {
  const chosen = ids === 'all' ? Object.keys(state.deadLetters) : ids.filter((id) => Object.hasOwn(state.deadLetters, id));
  for (const id of chosen) {
    const { deadAt: _d, reason: _r, waiting: _w, lastError: _l, notBefore: _n, ...item } = state.deadLetters[id]! as DeadLetter;
    const hours = item.urgent || item.subject?.kind === 'escalation' ? retryForHours.alerts : retryForHours.other;
    const revived: OutboxItem = { ...item, attempts: 0, createdAt: now.toISOString(), giveUpAt: new Date(now.getTime() + hours * 3_600_000).toISOString() };
    state.outbox[id] = revived;
    delete state.deadLetters[id];
  }
  return chosen;
}

/** A dead letter in one line, for the command line. */
export function describeDeadLetter(d: DeadLetter): string {
  return `${d.id}  ${d.deadAt}  ${d.op} ${d.label} to ${d.placeName} (${d.platform}): ${d.reason}`;
}
