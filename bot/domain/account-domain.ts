import type { StateStore } from '../../data/state-store.ts';
import { AccountRequests } from './account-requests.ts';
import type { AccountRequest, AccountsState } from './account-types.ts';
import { Accounts } from './accounts.ts';
import type { Clock } from './clock.ts';
import type { CheckpointedLog } from './checkpoint.ts';
import { Impersonations } from './impersonations.ts';
import { RecordKeeper, type RecordEffects, type Tracked, type WritableArchive } from './record-keeper.ts';

/** The UK calendar date (YYYY-MM-DD) at an instant. */
export function ukDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * The account governance domain over one store and decision log. `effects`
 * gives each kind of record its card delivery (subject kinds
 * `account-request`, `account` and `impersonation`); decided requests move
 * to `requestArchive` after a day (see app/archiving.ts).
 */
export function accountDomain(store: StateStore<AccountsState>, log: CheckpointedLog, clock: Clock, effects?: (kind: string) => RecordEffects<Tracked, AccountsState>, requestArchive?: WritableArchive<AccountRequest>) {
  const common = { store, log, clock };
  const fx = (kind: string) => (effects ? { effects: effects(kind) as RecordEffects<never, AccountsState> } : {});
  return {
    requests: new AccountRequests(new RecordKeeper({ ...common, collection: 'accountRequests', subject: 'account-request', prefix: 'REQ', ...fx('account-request'), ...(requestArchive ? { archive: requestArchive } : {}) })),
    accounts: new Accounts(new RecordKeeper({ ...common, collection: 'accounts', subject: 'account', prefix: 'ACC', ...fx('account') }), () => ukDate(clock.now())),
    impersonations: new Impersonations(new RecordKeeper({ ...common, collection: 'impersonations', subject: 'impersonation', prefix: 'IMP', ...fx('impersonation') })),
  };
}

export type AccountDomain = ReturnType<typeof accountDomain>;
