import type { AccountsState, ImpersonationCase } from './account-types.ts';
import type { SocialPlatform } from './escalation.ts';
import type { Actor } from './people.ts';
import type { Outcome, RecordKeeper } from './record-keeper.ts';

/** What someone reports about a fake or impersonating account. */
export interface ImpersonationInput {
  platform: SocialPlatform;
  target: string;
  imitates: string;
  notes: string;
}

/** Where a case may go from where it is. */
const NEXT: Record<ImpersonationCase['status'], ImpersonationCase['status'][]> = {
  open: ['reported', 'taken_down', 'declined'],
  reported: ['taken_down', 'declined'],
  taken_down: [],
  declined: [],
};

/**
 * Fake and impersonation accounts, tracked from the report through
 * "reported to the platform" (with its reference) to taken down or declined.
 */
export class Impersonations {
  constructor(private readonly keeper: RecordKeeper<ImpersonationCase, AccountsState>) {}

  get(id: string): ImpersonationCase | undefined {
    return this.keeper.get(id);
  }

  all(): ImpersonationCase[] {
    return this.keeper.all();
  }

  report(actor: Actor, input: ImpersonationInput): Promise<ImpersonationCase> {
    return this.keeper.create(actor, 'impersonation.reported', (id, stamp) => ({ id, status: 'open', ...input, reporter: stamp, updated: stamp, copies: [] }), (c) => ({ platform: c.platform, target: c.target, imitates: c.imitates, notes: c.notes }));
  }

  /** Moves a case on; reporting to the platform needs the platform's reference. */
  move(actor: Actor, id: string, to: 'reported' | 'taken_down' | 'declined', platformRef = ''): Promise<Outcome<ImpersonationCase>> {
    return this.keeper.change(actor, id, 'impersonation.update', (c) => {
      if (!NEXT[c.status].includes(to)) return { reject: 'conflict', reason: `${c.id} is ${c.status.replace('_', ' ')}; it cannot become ${to.replace('_', ' ')}.` };
      if (to === 'reported' && !platformRef.trim()) return { reject: 'invalid', reason: 'Give the platform’s reference for the report.' };
      return {
        log: { action: `impersonation.${to}`, ...(platformRef.trim() ? { details: { platformRef: platformRef.trim() } } : {}) },
        apply: (x, stamp) => {
          x.status = to;
          x.updated = stamp;
          if (platformRef.trim()) x.platformRef = platformRef.trim();
        },
      };
    });
  }

  /** Posts the card to more places, in the same kind of commit as a change. */
  publish: RecordKeeper<ImpersonationCase, AccountsState>['publish'] = (id, to) => this.keeper.publish(id, to);
}
