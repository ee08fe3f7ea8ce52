import type { Activity, ChannelAccount, ConversationReference } from 'botbuilder';
import type { Clock } from '../../bot/domain/clock.ts';
import type { BluedeskState, StoredConversation } from '../../bot/state.ts';
import type { StateStore } from '../../data/state-store.ts';
import { baseConversationId } from './identity.ts';

/**
 * Conversation references for proactive messages: captured on install,
 * refreshed (serviceUrl included) on every inbound activity, forgotten on removal.
 */
export class TeamsConversations {
  constructor(
    private readonly store: StateStore<Pick<BluedeskState, 'teamsConversations'>>,
    private readonly clock: Clock,
    /** Told when the bot learns a conversation it did not know: messages waiting for it can go now. */
    private readonly onNewConversation: () => void = () => undefined,
  ) {}

  /** Records or refreshes the conversation an activity came from. Skips the write when nothing changed. */
  async remember(activity: Activity): Promise<void> {
    const key = baseConversationId(activity.conversation.id);
    const reference = minimalReference(activity, key);
    const channelData = (activity.channelData ?? {}) as { channel?: { id?: string; name?: string }; team?: { id?: string; name?: string } };
    const entry: StoredConversation = {
      reference: reference as unknown as Record<string, unknown>,
      ...(channelData.channel?.id ? { channelId: channelData.channel.id } : {}),
      ...(activity.conversation.conversationType === 'personal' && activity.from?.aadObjectId ? { userAadObjectId: activity.from.aadObjectId } : {}),
      ...(tenantOf(activity) ? { tenantId: tenantOf(activity) } : {}),
      ...(channelData.team?.id ? { teamId: channelData.team.id } : {}),
      ...(channelData.channel?.name || activity.conversation.name ? { name: channelData.channel?.name ?? activity.conversation.name } : {}),
      updatedAt: this.clock.now().toISOString(),
    };
    const existing = this.store.read().teamsConversations[key];
    if (existing && sameExceptTime(existing, entry)) return;
    const stale = entry.userAadObjectId ? this.personalKeys(entry.userAadObjectId, entry.tenantId ?? '').filter((k) => k !== key) : [];
    await this.store.update((s) => {
      // Keep a channel id learnt earlier: later activities in a thread may omit it.
      s.teamsConversations[key] = { ...existing, ...entry };
      // A person has one personal chat with the bot: an older one (the app removed and added again) is gone.
      for (const k of stale) delete s.teamsConversations[k];
    });
    if (!existing || existing.channelId !== entry.channelId || existing.userAadObjectId !== entry.userAadObjectId) this.onNewConversation();
  }

  async forget(activity: Activity): Promise<void> {
    const key = baseConversationId(activity.conversation.id);
    const channelData = (activity.channelData ?? {}) as { team?: { id?: string } };
    await this.store.update((s) => {
      delete s.teamsConversations[key];
      // Removing the bot from a team removes it from every channel of that team.
      const teamId = channelData.team?.id;
      if (teamId) for (const [k, v] of Object.entries(s.teamsConversations)) if (v.teamId === teamId) delete s.teamsConversations[k];
    });
  }

  /** Forgets one conversation Teams no longer knows (it answered 404 for it). */
  async forgetKey(key: string): Promise<void> {
    if (!Object.hasOwn(this.store.read().teamsConversations, key)) return;
    await this.store.update((s) => {
      delete s.teamsConversations[key];
    });
  }

  private personalKeys(aadObjectId: string, tenantId: string): string[] {
    return Object.entries(this.store.read().teamsConversations)
      .filter(([, c]) => c.userAadObjectId?.toLowerCase() === aadObjectId.toLowerCase() && c.tenantId?.toLowerCase() === tenantId.toLowerCase())
      .map(([k]) => k);
  }

  /** Finds the stored conversation for a configured target. */
  find(target: { channelId?: string; conversationId?: string }): { key: string; reference: ConversationReference } | undefined {
    for (const [key, c] of Object.entries(this.store.read().teamsConversations)) {
      if ((target.conversationId && key === baseConversationId(target.conversationId)) || (target.channelId && (c.channelId === target.channelId || key === target.channelId))) {
        return { key, reference: c.reference as unknown as ConversationReference };
      }
    }
    return undefined;
  }

  /** A person's personal chat with the bot, if they have one. */
  findPersonal(aadObjectId: string, tenantId: string): { key: string; reference: ConversationReference } | undefined {
    for (const [key, c] of Object.entries(this.store.read().teamsConversations)) {
      if (c.userAadObjectId?.toLowerCase() === aadObjectId.toLowerCase() && c.tenantId?.toLowerCase() === tenantId.toLowerCase()) {
        return { key, reference: c.reference as unknown as ConversationReference };
      }
    }
    return undefined;
  }

  /** A reference from the tenant: its serviceUrl and bot account are what a new conversation needs. */
  anyInTenant(tenantId: string): ConversationReference | undefined {
    const c = Object.values(this.store.read().teamsConversations).find((x) => x.tenantId?.toLowerCase() === tenantId.toLowerCase());
    return c?.reference as unknown as ConversationReference | undefined;
  }

  /** Stores the reference of a personal chat the bot has just created. */
  async rememberCreated(reference: ConversationReference, aadObjectId: string, tenantId: string): Promise<string> {
    const key = baseConversationId(reference.conversation.id);
    await this.store.update((s) => {
      s.teamsConversations[key] = {
        reference: JSON.parse(JSON.stringify({ ...reference, activityId: undefined })),
        userAadObjectId: aadObjectId,
        tenantId,
        updatedAt: this.clock.now().toISOString(),
      };
    });
    return key;
  }

  get(key: string): ConversationReference | undefined {
    return this.store.read().teamsConversations[key]?.reference as unknown as ConversationReference | undefined;
  }
}

/**
 * Only what a proactive message needs, each field already validated and
 * bounded at the edge (activity-schema.ts): never the activity's other
 * fields, which an attacker could make deep or large.
 */
function minimalReference(activity: Activity, conversationId: string): Partial<ConversationReference> {
  const c = activity.conversation;
  const pick = (a: { id: string; name?: string; aadObjectId?: string } | undefined): ChannelAccount | undefined =>
    a ? { id: a.id, name: a.name ?? '', ...(a.aadObjectId ? { aadObjectId: a.aadObjectId } : {}) } : undefined;
  return {
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    ...(activity.locale ? { locale: activity.locale } : {}),
    conversation: { id: conversationId, isGroup: c.isGroup ?? false, conversationType: c.conversationType ?? '', ...(c.tenantId ? { tenantId: c.tenantId } : {}), name: '' } as ConversationReference['conversation'],
    ...(pick(activity.recipient) ? { bot: pick(activity.recipient)! } : {}),
    ...(pick(activity.from) ? { user: pick(activity.from)! } : {}),
  };
}

function tenantOf(activity: Activity): string | undefined {
  return (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? activity.conversation?.tenantId;
}

function sameExceptTime(a: StoredConversation, b: StoredConversation): boolean {
  return JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...a, ...b, updatedAt: '' });
}
