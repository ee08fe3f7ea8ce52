import { notice, type NoticeModel } from '../../../cards/notice/model.ts';
import type { RecordListModel } from '../../../cards/record-list/model.ts';
import { matchesQuery, type DecisionLog, type DecisionRecord, type LogQuery } from '../../domain/decision-log.ts';
import type { Actor, Directory } from '../../domain/people.ts';
import { isCalendarDate } from '../../../dialogs/dates.ts';
import { recordConsultation } from './consultation.ts';
import { refuseUnless } from '../refusal-reply.ts';
import { subjectOfId } from '../../domain/retention.ts';
import { timelineItem } from '../views.ts';
import type { RecordVisibility } from './visibility.ts';

/** Words people type for a kind of subject, and the subject types each covers. */
export const SUBJECT_WORDS: Record<string, string[]> = {
  escalation: ['escalation'], account: ['account', 'account-request', 'impersonation'], leaver: ['leaver', 'person'],
  surge: ['surge'], appeal: ['appeal'], hold: ['hold'], disposal: ['disposal'],
};
const MAX_SHOWN = 25;
const HELP = 'Search with /decisions [escalation|account|leaver|surge|appeal|hold] [by <person>] [from YYYY-MM-DD] [to YYYY-MM-DD], or show one subject with /decisions ESC-00012.';

/** A parsed `/decisions` search: the log query and the subject types asked for. */
export interface HistorySearch {
  query: LogQuery;
  types?: string[];
  words: string;
}

/**
 * `/decisions`: the decision history, searched by subject, person and date,
 * or one subject's whole timeline. Restricted records are withheld from
 * those the policy table does not name, and every look is itself recorded
 * (who consulted what, and when), as Part 3 of the DPA 2018 asks.
 */
export class DecisionHistory {
  constructor(private readonly deps: { log: DecisionLog; visibility: RecordVisibility; directory: Directory }) {}

  async run(actor: Actor, text: string): Promise<{ model: RecordListModel } | { notice: NoticeModel }> {
    const refused = await refuseUnless(this.deps.log, actor, 'records.search');
    if (refused?.kind === 'notice') return { notice: refused.notice };
    const words = text.trim();
    const id = /^[A-Za-z]{3}-\d{1,9}$/.test(words) ? words.toUpperCase() : undefined;
    return id ? this.timeline(actor, id) : this.search(actor, words);
  }

  private async timeline(actor: Actor, id: string): Promise<{ model: RecordListModel } | { notice: NoticeModel }> {
    const subject = subjectOfId(id) ?? (id.startsWith('HLD-') ? { type: 'hold', id } : id.startsWith('DSP-') ? { type: 'disposal', id } : undefined);
    const all = await this.deps.log.query({});
    const about = subject ? all.filter((r) => r.subject?.type === subject.type && r.subject.id === id) : [];
    const { shown } = this.deps.visibility.filter(actor.person, about, all);
    // A restricted subject is not there at all for someone who may not see it: not even that it exists.
    if (!shown.length) return { notice: notice('info', 'No records', `There are no decision records about ${id} that you can see.`, HELP) };
    await this.consulted(actor, { view: 'timeline', of: id, results: shown.length }, shown, all, subject);
    return {
      model: {
        title: `${id}: decision history`,
        subtitle: `${shown.length} record(s), oldest first. Your consultation of these records has been recorded.`,
        items: shown.map(timelineItem),
        empty: '',
      },
    };
  }

  private async search(actor: Actor, words: string): Promise<{ model: RecordListModel } | { notice: NoticeModel }> {
    const parsed = parseSearch(words, this.deps.directory);
    if ('problem' in parsed) return { notice: notice('info', 'Search the decision records', parsed.problem, HELP) };
    const all = await this.deps.log.query({});
    const matching = all.filter((r) => matches(r, parsed));
    const { shown } = this.deps.visibility.filter(actor.person, matching, all);
    const newest = [...shown].reverse().slice(0, MAX_SHOWN);
    await this.consulted(actor, { view: 'search', search: parsed.words || 'everything', results: shown.length }, newest, all);
    return {
      model: {
        title: 'Decision records',
        subtitle: `${parsed.words || 'Everything'} · ${shown.length} found${shown.length > MAX_SHOWN ? `, newest ${MAX_SHOWN} shown (narrow the search, or use npm run export)` : ''}. Your search has been recorded.`,
        items: newest.map((r) => {
          const item = timelineItem(r);
          return { ...item, heading: `${r.subject ? `${r.subject.id} · ` : ''}${item.heading}` };
        }),
        empty: 'No decision records match.',
      },
    };
  }

  private consulted(actor: Actor, details: Record<string, unknown>, shown: readonly DecisionRecord[], all: readonly DecisionRecord[], subject?: { type: string; id: string }): Promise<void> {
    return recordConsultation(this.deps, actor, { action: 'records.consulted', details, ...(subject ? { subject } : {}) }, shown, all);
  }
}

/** Parses `[type] [by <person>] [from <date>] [to <date>]`. */
export function parseSearch(words: string, directory: Directory): HistorySearch | { problem: string } {
  const tokens = words.split(/\s+/).filter(Boolean);
  const query: LogQuery = {};
  let types: string[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.toLowerCase();
    const next = tokens[i + 1];
    const word = t.replace(/s$/, '');
    if (SUBJECT_WORDS[word]) types = SUBJECT_WORDS[word];
    else if ((t === 'from' || t === 'to') && next) {
      if (!isCalendarDate(next)) return { problem: `"${next}" is not a date: write it as YYYY-MM-DD.` };
      if (t === 'from') query.from = `${next}T00:00:00.000Z`;
      else query.to = new Date(Date.parse(`${next}T00:00:00Z`) + 86_400_000).toISOString();
      i++;
    } else if (t === 'by' && next) {
      const found = directory.match(next.replace(/^@/, ''));
      if (found.length !== 1) return { problem: found.length ? `${found.length} people match "${next}": give their id.` : `Nobody in the directory matches "${next}".` };
      query.actorId = found[0]!.id;
      i++;
    } else {
      return { problem: `I did not understand "${tokens[i]}".` };
    }
  }
  return { query, ...(types ? { types } : {}), words: tokens.join(' ') };
}

/** True when a record answers a parsed search. */
export function matches(r: DecisionRecord, s: Pick<HistorySearch, 'query' | 'types'>): boolean {
  return (!s.types || (!!r.subject && s.types.includes(r.subject.type))) && matchesQuery(r, s.query);
}
