import { leaverCard, type LeaverAudience, type LeaverNames } from '../../cards/leaver-case/model.ts';
import type { CardView } from '../../cards/index.ts';
import type { Clock } from '../domain/clock.ts';
import { isAssignedTo } from '../domain/leaver-checklist.ts';
import type { LeaverCase } from '../domain/leaver-types.ts';
import { seesRestricted } from '../domain/leavers.ts';
import type { Directory, Person } from '../domain/people.ts';
import { authorise } from '../domain/policy.ts';
import type { Destinations } from './destinations.ts';
import { targetKey } from './gateway.ts';

/**
 * Who may see what of a leaver case, in one place, for every card, view and
 * reply: PSD and information security see everything; the requester, comms
 * and the line manager see an unrestricted case whole (and the requester
 * their own restricted one, without why); an assignee sees only their
 * items; the person leaving sees nothing. Everyone else sees nothing.
 */
export class LeaverAudiences {
  constructor(
    private readonly deps: { directory: Directory; destinations: Destinations; names: LeaverNames; clock: Clock; overdueAt: (c: LeaverCase) => string },
  ) {}

  /** What this person may see of the case, or nothing. Uses the roles they hold now. */
  of(c: LeaverCase, person: Person): LeaverAudience | undefined {
    if (person.id === c.personId) return undefined;
    const viewer = { id: person.id, roles: person.roles };
    if (seesRestricted(person)) return { level: 'restricted', viewer };
    if (c.requester.personId === person.id) return { level: 'case', viewer };
    const manager = c.personId ? this.deps.directory.configured(c.personId)?.managerId : undefined;
    if (!c.restricted && (authorise(person, 'leaver.view').allowed || manager === person.id)) return { level: 'case', viewer };
    if (c.items.some((i) => !i.done && isAssignedTo(i, person)) || c.items.some((i) => i.done?.personId === person.id)) return { level: 'tasks', viewer };
    return undefined;
  }

  /** The case's card for a person, or nothing when they may not see it. */
  cardFor(c: LeaverCase, person: Person): CardView | undefined {
    const audience = this.of(c, person);
    return audience ? this.card(c, audience) : undefined;
  }

  /**
   * The card for a place the outbox posts to or updates: a person's direct
   * messages render that person's view; a channel gets the channel view of
   * an unrestricted case, and a restricted case never goes to a channel.
   */
  forPlace(c: LeaverCase, place: string | undefined): CardView | undefined {
    const person = place ? this.personAt(place) : undefined;
    if (person) return this.cardFor(c, person);
    if (!place || c.restricted || place.startsWith('teams-user:')) return undefined;
    return this.card(c, { level: 'channel' });
  }

  private card(c: LeaverCase, audience: LeaverAudience): CardView {
    return { kind: 'checklist', model: leaverCard(c, audience, this.deps.names, this.deps.clock.now().toISOString(), this.deps.overdueAt(c)) };
  }

  /** The directory person whose direct messages a place key is, with the roles they hold now. */
  private personAt(place: string): Person | undefined {
    // People and their platform ids come from the config, so the map is built once; roles are looked up each time.
    this.places ??= new Map(this.deps.directory.all().flatMap((p) => this.deps.destinations.person(p).map((t) => [targetKey(t), p.id] as const)));
    const id = this.places.get(place);
    return id ? this.deps.directory.get(id) : undefined;
  }

  private places: Map<string, string> | undefined;
}
