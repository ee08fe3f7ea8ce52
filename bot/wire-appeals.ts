import type { StateStore } from '../data/state-store.ts';
import { appealDialogs } from '../dialogs/appeal.ts';
import type { DialogEngine } from '../dialogs/engine.ts';
import { AppealFlows } from './app/appeal-flows.ts';
import { AppealTimers } from './app/appeal-timers.ts';
import type { Delivery } from './app/delivery.ts';
import type { LeaverRegister } from './app/leaver-register.ts';
import type { ForceConfig } from './config/schema.ts';
import type { Appeal } from './domain/appeal-types.ts';
import { Appeals } from './domain/appeals.ts';
import type { CheckpointedLog } from './domain/checkpoint.ts';
import type { Clock } from './domain/clock.ts';
import type { Directory } from './domain/people.ts';
import { RecordKeeper } from './domain/record-keeper.ts';
import type { BluedeskState } from './state.ts';

/** Public appeals, wired in two halves for the composition root (dialogs before the engine exists, flows after). */
export function appealDomain(deps: { config: ForceConfig; store: StateStore<BluedeskState>; log: CheckpointedLog; clock: Clock; directory: Directory; delivery: Delivery; register: LeaverRegister }) {
  const { config, store, log, clock, directory, delivery, register } = deps;
  let flows: AppealFlows | undefined;
  const appeals = new Appeals(new RecordKeeper<Appeal, BluedeskState>({
    store, log, clock, collection: 'appeals', subject: 'appeal', prefix: 'APL',
    effects: delivery.outbox.effects<Appeal, BluedeskState>('appeal', { publishFor: (a, action) => flows?.publishFor(a, action), notifyFor: (a, entry) => flows?.notifyFor(a, entry) }),
  }), (id) => register.accounts([id]).flatMap((a) => [a.ownerId, ...a.adminIds]));
  const areaNames = new Map(config.areas.map((a) => [a.id, a.name]));
  const names = { person: (id: string) => directory.get(id)?.name ?? id, account: (id: string) => register.label(id), area: (id: string) => areaNames.get(id) ?? id };
  return {
    appeals,
    dialogs: appealDialogs({ accounts: () => register.live().filter((a) => a.state === 'active').map((a) => ({ value: a.id, title: register.label(a.id) })), areas: config.areas }),
    wire(more: { dialogs: DialogEngine }) {
      flows = new AppealFlows({ appeals, dialogs: more.dialogs, config: config.appeals, names, hasAccounts: () => register.live().some((a) => a.state === 'active'), log, clock });
      const f = flows;
      delivery.outbox.register('appeal', { collection: (s) => (s as BluedeskState).appeals, view: (a) => f.view(a as Appeal) });
      return { flows: f, timers: new AppealTimers({ appeals, config: config.appeals, clock }) };
    },
  };
}
