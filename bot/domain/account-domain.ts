import type { StateStore } from '../../data/state-store.ts';
import { AccountRequests } from './account-requests.ts';
import type { AccountsState } from './account-types.ts';
import { Accounts } from './accounts.ts';
import type { Clock } from './clock.ts';
import type { DecisionLog } from './decision-log.ts';
import { Impersonations } from './impersonations.ts';
import { RecordKeeper } from './record-keeper.ts';

/** The UK calendar date (YYYY-MM-DD) at an instant. */
export function ukDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The account governance domain over one store and decision log. */
export function accountDomain(store: StateStore<AccountsState>, log: DecisionLog, clock: Clock) {
  const common = { store, log, clock };
  return {
    requests: new AccountRequests(new RecordKeeper({ ...common, collection: (s) => s.accountRequests, subject: 'account-request', prefix: 'REQ' })),
    accounts: new Accounts(new RecordKeeper({ ...common, collection: (s) => s.accounts, subject: 'account', prefix: 'ACC' }), () => ukDate(clock.now())),
    impersonations: new Impersonations(new RecordKeeper({ ...common, collection: (s) => s.impersonations, subject: 'impersonation', prefix: 'IMP' })),
  };
}

export type AccountDomain = ReturnType<typeof accountDomain>;
