import type { DecisionRecord } from '../../domain/decision-log.ts';
import type { Person } from '../../domain/people.ts';
import { authorise } from '../../domain/policy.ts';

/** What a viewer may see of some records: those shown, and how many were withheld. */
export interface Visible {
  shown: DecisionRecord[];
  withheld: number;
}

/**
 * Restricted records (PSD-related cases) in every view, export and report:
 * only the roles the policy table names for `records.view_restricted` see
 * them. A subject is restricted if any of its records is, or if it is
 * restricted in state now, so records written before a case was marked are
 * withheld too.
 */
export class RecordVisibility {
  constructor(private readonly restrictedNow: () => Iterable<string>) {}

  /** `type:id` of every restricted subject, from the records and from state. */
  restrictedSubjects(records: readonly DecisionRecord[]): Set<string> {
    const out = new Set(this.restrictedNow());
    for (const r of records) if (r.restricted && r.subject) out.add(key(r.subject));
    return out;
  }

  /** True when this record is restricted, given the restricted subjects. */
  isRestricted(r: DecisionRecord, restricted: ReadonlySet<string>): boolean {
    return !!r.restricted || (!!r.subject && restricted.has(key(r.subject)));
  }

  mayViewRestricted(viewer: Person): boolean {
    return authorise(viewer, 'records.view_restricted').allowed;
  }

  /** The records this viewer may see. `context` is the whole log (or more of it), so a subject's restriction is known from any of its records. */
  filter(viewer: Person, records: readonly DecisionRecord[], context: readonly DecisionRecord[] = records): Visible {
    if (this.mayViewRestricted(viewer)) return { shown: [...records], withheld: 0 };
    const restricted = this.restrictedSubjects(context);
    const shown = records.filter((r) => !this.isRestricted(r, restricted));
    return { shown, withheld: records.length - shown.length };
  }
}

function key(s: { type: string; id: string }): string {
  return `${s.type}:${s.id}`;
}
