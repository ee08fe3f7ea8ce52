import type { FormOption } from '../cards/dialog-form/model.ts';
import { leaverDialog } from '../dialogs/leaver.ts';
import { leaverStepDialogs } from '../dialogs/leaver-steps.ts';
import type { DialogDefinition } from '../dialogs/types.ts';
import type { StateStore } from '../data/state-store.ts';
import type { DialogEngine } from '../dialogs/engine.ts';
import type { Delivery } from './app/delivery.ts';
import type { Destinations } from './app/destinations.ts';
import { LeaverAudiences } from './app/leaver-audience.ts';
import { LeaverFlows } from './app/leaver-flows.ts';
import { LeaverRegister } from './app/leaver-register.ts';
import { LeaverSignals } from './app/leaver-signals.ts';
import { LeaverTimers, overdueAt } from './app/leaver-timers.ts';
import { LeaverViews } from './app/leaver-views.ts';
import type { SeenEvents } from './app/seen-events.ts';
import { Suspensions } from './app/suspensions.ts';
import type { LeaversConfig } from './config/schema-operations.ts';
import type { AccountDomain } from './domain/account-domain.ts';
import type { CheckpointedLog } from './domain/checkpoint.ts';
import type { Clock } from './domain/clock.ts';
import type { Escalations } from './domain/escalations.ts';
import { rolesNow, type LeaverCase } from './domain/leaver-types.ts';
import { LeaverCases } from './domain/leavers.ts';
import type { Directory } from './domain/people.ts';
import { RecordKeeper } from './domain/record-keeper.ts';
import type { BluedeskState } from './state.ts';

/**
 * Movers and leavers, wired in two halves for the composition root: the
 * domain and dialogs before the dialog engine exists, the flows after. The
 * directory's roles are read through the cases' role changes from here on.
 */
export function leaverDomain(deps: { store: StateStore<BluedeskState>; log: CheckpointedLog; clock: Clock; directory: Directory; delivery: Delivery; accounts: AccountDomain | undefined }) {
  const { store, log, clock, directory, delivery } = deps;
  let flows: LeaverFlows | undefined;
  const cases = new LeaverCases(new RecordKeeper<LeaverCase, BluedeskState>({
    store, log, clock, collection: 'leaverCases', subject: 'leaver', prefix: 'LVR',
    effects: delivery.outbox.effects<LeaverCase, BluedeskState>('leaver', { publishFor: (c, action) => flows?.publishFor(c, action), notifyFor: (c, entry) => flows?.notifyFor(c, entry) }),
  }), store);
  directory.applyOverlay((p) => rolesNow(p.roles, cases.roleChanges().filter((r) => r.personId === p.id)));
  const register = new LeaverRegister(deps.accounts);
  const people = (): FormOption[] => directory.all().map((p) => ({ value: p.id, title: p.name }));
  const dialogs: DialogDefinition[] = [
    leaverDialog({
      people,
      accounts: () => register.live().map((a) => ({ id: a.id, label: `${a.platform} @${a.handle}`, ownerId: a.ownerId, adminIds: a.adminIds })),
      rolesOf: (id) => directory.configured(id)?.roles ?? [],
    }),
    ...leaverStepDialogs(people),
  ];
  return {
    cases, register, dialogs,
    /** The flows, views, signals and timers, once the dialog engine exists. */
    wire(more: { dialogs: DialogEngine; escalations: Escalations; destinations: Destinations; seen: SeenEvents; config: LeaversConfig }) {
      const due = (c: LeaverCase) => overdueAt(c, more.config);
      const audiences = new LeaverAudiences({ directory, destinations: more.destinations, clock, overdueAt: due, names: { person: (id) => directory.get(id)?.name ?? id, account: (id) => register.label(id) } });
      const suspensions = new Suspensions({ cases, escalations: more.escalations, directory });
      flows = new LeaverFlows({ cases, audiences, register, suspensions, directory, dialogs: more.dialogs, config: more.config, log, clock });
      delivery.outbox.register('leaver', { collection: (s) => (s as BluedeskState).leaverCases, view: (c, to) => audiences.forPlace(c as LeaverCase, to.place) });
      return {
        flows,
        views: new LeaverViews({ cases, audiences, directory, log, clock, overdueAt: due }),
        signals: new LeaverSignals({ cases, register, directory, delivery, seen: more.seen, log }),
        timers: new LeaverTimers({ cases, complete: (id) => flows!.tryComplete(id), config: more.config, clock }),
        /** Finishes, at start-up, the moves of work off suspended people that a crash may have cut short. */
        reconcile: () => suspensions.reconcile(),
      };
    },
  };
}
