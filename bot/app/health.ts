import type { OutboxStats } from './outbox/outbox.ts';

/** What health reads, each at the moment it is asked. */
export interface HealthSources {
  storageWritable: () => Promise<boolean>;
  outbox: () => OutboxStats;
  /** Slack's connection as last checked, or `off`. */
  slack: () => { state: string; error?: string; socket?: string };
}

/** Health as the admin port reports it: whether the last write worked, and what else an operator should look at. */
export interface HealthReport {
  /** Storage takes writes: the only thing that makes this instance unhealthy (HTTP 503). */
  ok: boolean;
  /** `ok`; `degraded` while storage works but something below needs attention; or `storage not writable`. */
  status: 'ok' | 'degraded' | 'storage not writable';
  /** Each thing that needs attention, in words. */
  problems: string[];
  storage: 'writable' | 'not writable';
  outbox: OutboxStats;
  slack: { state: string; error?: string; socket?: string };
}

/** Outbox items trying to send (not waiting for an unreachable place) longer than this mean delivery is stuck. */
export const STUCK_SECONDS = 300;

/**
 * Health says only what is true: healthy means the last write worked, and
 * anything else wrong (messages given up, Slack not answering, delivery
 * stuck) makes it `degraded`, named in `problems`, without taking the
 * instance out of service for what a restart would not fix.
 */
export async function healthReport(sources: HealthSources): Promise<HealthReport> {
  const writable = await sources.storageWritable();
  const outbox = sources.outbox();
  const slack = sources.slack();
  const latest = outbox.latestDeadLetter;
  const problems = [
    ...(writable ? [] : ['Storage does not take writes: changes are refused until it does.']),
    ...(outbox.deadLettersLastHour ? [`${outbox.deadLettersLastHour} message(s) could not be delivered in the last hour${latest ? ` (latest to ${latest.place}: ${latest.reason})` : ''}. See the dead-letter list.`] : []),
    ...(slack.state === 'unreachable' ? [`Slack is not answering${slack.error ? ` (${slack.error})` : ''}: its messages wait in the outbox.`] : []),
    ...(outbox.oldestSendingAgeSeconds >= STUCK_SECONDS ? [`A message has been trying to send for ${Math.round(outbox.oldestSendingAgeSeconds / 60)} minutes.`] : []),
  ];
  return {
    ok: writable,
    status: !writable ? 'storage not writable' : problems.length ? 'degraded' : 'ok',
    problems,
    storage: writable ? 'writable' : 'not writable',
    outbox,
    slack,
  };
}
