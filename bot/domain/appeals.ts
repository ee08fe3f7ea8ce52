import type { Appeal, AppealInput, AppealsState } from './appeal-types.ts';
import type { Actor } from './people.ts';
import { authorise } from './policy.ts';
import type { Outcome, RecordKeeper } from './record-keeper.ts';

/** Why someone may not answer for an appeal. */
export const MAY_ANSWER = 'Only whoever registered the appeal, the account’s owner or administrators, or those who may close appeals (corporate communications, the desk, investigations, command, and neighbourhood teams in their area) may review it or confirm its posts are down.';

/**
 * Public appeals, kept like every other record (per-record lock, the log
 * first). The APP asks for appeals to be removed or archived in a timely
 * way: each has a review date, and closing one (a missing person found)
 * asks for every post to come down, tracked until each is confirmed.
 */
export class Appeals {
  constructor(
    private readonly keeper: RecordKeeper<Appeal, AppealsState>,
    /** Who holds an account in the register (owner and administrators): they take the posts down. */
    private readonly holders: (accountId: string) => string[],
  ) {}

  get(id: string): Appeal | undefined {
    return this.keeper.get(id);
  }

  all(): Appeal[] {
    return this.keeper.all();
  }

  /** Those who answer for an appeal's posts: whoever registered it and the account's holders. */
  owners(a: Pick<Appeal, 'registered' | 'accountId'>): string[] {
    return [...new Set([a.registered.personId, ...this.holders(a.accountId)])];
  }

  register(actor: Actor, input: AppealInput): Promise<Appeal> {
    return this.keeper.create(actor, 'appeal.registered', (id, stamp) => ({
      ...input, id, status: 'live', registered: stamp, reviews: [], reminders: 0, copies: [],
      posts: input.urls.map((url, i) => ({ id: String(i + 1), url, state: 'live' as const })),
    }), (a) => ({ type: a.type, accountId: a.accountId, area: a.area, reviewDate: a.reviewDate, reference: a.reference, posts: a.posts.map((p) => p.url) }));
  }

  /** The review: keep it up until a new review date, or ask for its removal or archiving. */
  review(actor: Actor, id: string, decision: 'keep' | 'remove' | 'archive', opts: { nextReview?: string; today: string }): Promise<Outcome<Appeal>> {
    return this.keeper.change(actor, id, undefined, (a) => {
      if (!this.mayAnswer(actor, a)) return { reject: 'refused', reason: MAY_ANSWER, attempted: 'appeal.review' };
      if (a.status !== 'live') return { reject: 'conflict', reason: `${a.id} is already ${a.status === 'closing' ? 'being taken down' : 'finished'}.` };
      if (decision === 'keep' && !(opts.nextReview && opts.nextReview > opts.today)) return { reject: 'invalid', reason: 'Give the next review date, after today.' };
      return {
        log: { action: 'appeal.reviewed', details: { decision, ...(decision === 'keep' ? { nextReview: opts.nextReview } : {}) } },
        apply: (x, stamp) => {
          x.reviews.push({ ...stamp, decision, ...(decision === 'keep' ? { nextReview: opts.nextReview! } : {}) });
          if (decision === 'keep') x.reviewDate = opts.nextReview!;
          else x.closing = { ...stamp, reason: `Review decided to ${decision} it`, urgent: false };
          if (decision !== 'keep') x.status = 'closing';
        },
      };
    });
  }

  /** `/appeal closed <id> <reason>`: the appeal has ended (a missing person found); every post must come down now. */
  close(actor: Actor, id: string, reason: string): Promise<Outcome<Appeal>> {
    return this.keeper.change(actor, id, 'appeal.close', (a) => {
      if (a.status !== 'live') return { reject: 'conflict', reason: `${a.id} is already ${a.status === 'closing' ? 'being taken down' : 'finished'}.` };
      if (!reason.trim()) return { reject: 'invalid', reason: 'Say why the appeal has ended, e.g. "Found safe and well".' };
      return { log: { action: 'appeal.closed', reason: reason.trim().slice(0, 500), details: { urgent: true } }, apply: (x, stamp) => { x.status = 'closing'; x.closing = { ...stamp, reason: reason.trim().slice(0, 500), urgent: true }; } };
    }, (a) => a.area);
  }

  /** A post confirmed removed or archived; the last one finishes the appeal. */
  markPost(actor: Actor, id: string, postId: string, outcome: 'removed' | 'archived'): Promise<Outcome<Appeal>> {
    return this.keeper.change(actor, id, undefined, (a) => {
      if (!this.mayAnswer(actor, a)) return { reject: 'refused', reason: MAY_ANSWER, attempted: 'appeal.post' };
      const post = a.posts.find((p) => p.id === postId);
      if (!post) return { reject: 'invalid', reason: `${a.id} has no post ${postId}.` };
      if (post.state !== 'live') return { reject: 'conflict', reason: `That post was already marked ${post.state} by ${post.done?.name ?? 'someone'}.` };
      const last = a.posts.every((p) => p.id === postId || p.state !== 'live');
      return {
        log: { action: last ? 'appeal.finished' : 'appeal.post_done', details: { post: post.url, outcome, ...(last ? { posts: a.posts.map((p) => (p.id === postId ? outcome : p.state)) } : {}) } },
        apply: (x, stamp) => {
          const p = x.posts.find((q) => q.id === postId)!;
          p.state = outcome;
          p.done = stamp;
          if (last) {
            x.status = 'finished';
            x.finishedAt = stamp.at;
          }
        },
      };
    });
  }

  /** A timer step, recorded on the appeal with the messages it sends: a review reminder, a removal reminder, or the overdue removal escalated. */
  chase(actor: Actor, id: string, step: { review: string } | { reminders: number } | 'escalated', at: string): Promise<Outcome<Appeal>> {
    return this.keeper.change(actor, id, undefined, (a) => {
      if (typeof step === 'object' && 'review' in step) {
        return a.status !== 'live' || a.reviewRemindedFor === step.review ? { reject: 'conflict', reason: 'moved on' } : { log: { action: 'appeal.review_due', details: { reviewDate: step.review } }, apply: (x) => { x.reviewRemindedFor = step.review; } };
      }
      if (a.status !== 'closing') return { reject: 'conflict', reason: 'moved on' };
      if (step === 'escalated') return a.escalatedAt ? { reject: 'conflict', reason: 'already escalated' } : { log: { action: 'appeal.removal_overdue', details: { live: a.posts.filter((p) => p.state === 'live').map((p) => p.url) } }, apply: (x) => { x.escalatedAt = at; } };
      return step.reminders <= a.reminders ? { reject: 'conflict', reason: 'already reminded' } : { log: { action: 'appeal.removal_reminded', details: { reminders: step.reminders } }, apply: (x) => { x.reminders = step.reminders; } };
    });
  }

  /** Whoever registered it, the account's holders, and those who may close appeals (in its area) answer for its posts. */
  mayAnswer(actor: Actor, a: Appeal): boolean {
    return actor.via.platform === 'system' || this.owners(a).includes(actor.person.id) || authorise(actor.person, 'appeal.close', { area: a.area }).allowed;
  }
}
