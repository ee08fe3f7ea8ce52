import { dictionaries } from '../data/state-store.ts';
import type { DialogState } from '../dialogs/types.ts';
import type { HousekeepingState } from './app/account-housekeeping.ts';
import type { IntakeState } from './app/intake.ts';
import type { OutboxState } from './app/outbox/types.ts';
import type { SlaState } from './app/sla.ts';
import type { AccountsState } from './domain/account-types.ts';
import type { EscalationState } from './domain/escalations.ts';
import type { LeaversState } from './domain/leaver-types.ts';
import type { SurgeState } from './domain/surge-types.ts';
import type { RecordsState } from './domain/records-types.ts';
import type { AppealsState } from './domain/appeal-types.ts';

/** A Teams conversation the bot was installed in, kept for proactive messages. */
export interface StoredConversation {
  /** The Bot Framework conversation reference, as JSON; owned by the Teams adapter. */
  reference: Record<string, unknown>;
  /** channelData.channel.id when this is a team channel. */
  channelId?: string;
  teamId?: string;
  /** For a personal chat: whose it is, so direct messages can find it. */
  userAadObjectId?: string;
  tenantId?: string;
  name?: string;
  updatedAt: string;
}

/** Everything kept in the state store. Each module owns its slice. */
export interface BluedeskState extends EscalationState, DialogState, SlaState, IntakeState, AccountsState, HousekeepingState, OutboxState, LeaversState, SurgeState, RecordsState, AppealsState {
  teamsConversations: Record<string, StoredConversation>;
  /** Platform event ids already handled (Slack retries), with when they were seen. */
  seenEvents: Record<string, string>;
}

/** The slices kept in their own small files, so the busiest writes (a form opening, a Teams message, a Slack event) never rewrite the registers. */
export interface SideStates {
  /** `dialogs.json`: dialog sessions. */
  dialogs: Pick<BluedeskState, 'dialogs'>;
  /** `conversations.json`: Teams conversation references. */
  conversations: Pick<BluedeskState, 'teamsConversations'>;
  /** `seen-events.json`: Slack event ids already handled. */
  seen: Pick<BluedeskState, 'seenEvents'>;
}

/** Each side file's name and the state key it holds. */
export const SIDE_FILES: { [K in keyof SideStates]: { file: string; key: keyof SideStates[K] & keyof BluedeskState } } = {
  dialogs: { file: 'dialogs.json', key: 'dialogs' },
  conversations: { file: 'conversations.json', key: 'teamsConversations' },
  seen: { file: 'seen-events.json', key: 'seenEvents' },
};

/** A fresh, empty state. Collections have no prototype: see `dictionaries`. */
export function emptyState(): BluedeskState {
  return dictionaries({
    escalations: {}, accountRequests: {}, accounts: {}, impersonations: {}, counters: {}, dialogs: {}, timers: {}, intakeKeys: {}, reminders: {},
    teamsConversations: {}, seenEvents: {}, outbox: {}, deadLetters: {}, leaverCases: {}, roleChanges: {}, surges: {}, surgeDigests: {}, legalHolds: {}, disposals: {}, recordsJobs: {}, appeals: {}, walSeq: 0,
  });
}
