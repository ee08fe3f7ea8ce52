import type { AccountNames } from '../../cards/account-request/model.ts';
import { ukDateTime } from '../../cards/format.ts';
import type { RecordListModel } from '../../cards/record-list/model.ts';
import type { AccountDomain } from '../domain/account-domain.ts';
import type { Account } from '../domain/account-types.ts';
import { actorLabel, type DecisionLog } from '../domain/decision-log.ts';
import { actionInWords } from './views.ts';

const STATES = ['awaiting_setup', 'active', 'closing', 'closed'];

/** `/accounts [platform] [area] [state]` and `/account <handle>`: the register, read-only. */
export class AccountViews {
  constructor(private readonly deps: { domain: AccountDomain; names: AccountNames; areas: ReadonlyArray<{ id: string; name: string }>; log: DecisionLog }) {}

  /** Filters are words: a platform, an area id, or a state (e.g. "x north active"). */
  list(filterText: string): RecordListModel {
    const words = filterText.toLowerCase().split(/[\s,]+/).filter(Boolean).map((w) => w.replace(/^(platform|area|state)=/, ''));
    const areaIds = new Set(this.deps.areas.map((a) => a.id));
    const accounts = this.deps.domain.accounts.all().filter((a) =>
      words.every((w) => (STATES.includes(w) ? a.state === w : areaIds.has(w) ? a.area === w : a.platform.toLowerCase() === w)));
    accounts.sort((x, y) => x.platform.localeCompare(y.platform) || x.handle.localeCompare(y.handle));
    return {
      title: 'Official accounts register',
      subtitle: words.length ? `Filtered by: ${words.join(', ')}` : 'All accounts. Filter with a platform, an area or a state, e.g. /accounts x north active',
      items: accounts.map((a) => ({ heading: `${a.platform} @${a.handle} · ${a.displayName}`, lines: [this.summary(a)] })),
      empty: 'No accounts match.',
    };
  }

  /** One account: owner, admins, state, review date, and its history from the decision log. */
  async show(handle: string): Promise<RecordListModel | undefined> {
    const h = handle.replace(/^@/, '').toLowerCase();
    const a = this.deps.domain.accounts.all().find((x) => x.handle.toLowerCase() === h && x.state !== 'closed') ?? this.deps.domain.accounts.all().find((x) => x.handle.toLowerCase() === h);
    if (!a) return undefined;
    const history = [...(await this.deps.log.forSubject('account-request', a.requestId)), ...(await this.deps.log.forSubject('account', a.id))];
    return {
      title: `${a.platform} @${a.handle}`,
      subtitle: `${a.displayName} · ${a.id}`,
      items: [
        {
          heading: 'Details',
          lines: [
            this.summary(a), `Owner: ${this.deps.names.person(a.ownerId)}`, `Administrators: ${a.adminIds.map(this.deps.names.person).join(', ') || 'none'}`,
            `Verification: ${a.verified.replace('_', ' ')}`, `Business email: ${a.businessEmail}`,
          ],
        },
        ...history.map((r) => ({ heading: `${ukDateTime(r.at)} · ${actorLabel(r)} ${actionInWords(r)}`, lines: r.reason ? [`Reason: ${r.reason}`] : [] })),
      ],
      empty: '',
    };
  }

  private summary(a: Account): string {
    return `${a.state.replace('_', ' ')} · ${this.deps.names.area(a.area)} · owner ${this.deps.names.person(a.ownerId)} · review ${a.reviewDate}`;
  }
}
