import type { StateStore } from '../data/state-store.ts';
import type { DialogEngine } from '../dialogs/engine.ts';
import { surgeDialog, surgeStepDialogs } from '../dialogs/surge.ts';
import type { DialogDefinition } from '../dialogs/types.ts';
import type { BackgroundTasks } from './app/background.ts';
import type { ChartFiles } from './app/chart-files.ts';
import type { Delivery } from './app/delivery.ts';
import type { LeaverRegister } from './app/leaver-register.ts';
import { SurgeFlows } from './app/surge-flows.ts';
import { DIGEST_KIND, SurgeOps } from './app/surge-ops.ts';
import type { ForceConfig } from './config/schema.ts';
import type { CheckpointedLog } from './domain/checkpoint.ts';
import type { Clock } from './domain/clock.ts';
import type { Escalations } from './domain/escalations.ts';
import type { Directory } from './domain/people.ts';
import { RecordKeeper } from './domain/record-keeper.ts';
import type { Surge, SurgeDigest } from './domain/surge-types.ts';
import { DEFAULT_PLAYBOOK, playbookActions, Surges } from './domain/surges.ts';
import type { BluedeskState } from './state.ts';

/**
 * Surges, wired in two halves for the composition root (dialogs before the
 * engine exists, flows after). Absent when the force config has no `surge`.
 */
export function surgeDomain(deps: { config: ForceConfig; store: StateStore<BluedeskState>; log: CheckpointedLog; clock: Clock; directory: Directory; delivery: Delivery; register: LeaverRegister; tasks: BackgroundTasks; charts: ChartFiles; publicUrl: string | undefined }) {
  const config = deps.config.surge;
  if (!config) return undefined;
  const { store, log, clock, directory, delivery, register } = deps;
  let flows: SurgeFlows | undefined;
  let ops: SurgeOps | undefined;
  const surges = new Surges(new RecordKeeper<Surge, BluedeskState>({
    store, log, clock, collection: 'surges', subject: 'surge', prefix: 'SRG',
    effects: delivery.outbox.effects<Surge, BluedeskState>('surge', { publishFor: (s, action) => flows?.publishFor(s, action), notifyFor: (s, entry) => ops?.notifyFor(s, entry) }),
  }));
  const people = () => directory.all().map((p) => ({ value: p.id, title: p.name }));
  const dialogs: DialogDefinition[] = [
    surgeDialog({
      areas: deps.config.areas, people,
      accounts: () => register.live().map((a) => ({ value: a.id, title: `${a.platform} @${a.handle}` })),
      playbook: (trigger, level) => playbookActions(config.playbook ?? DEFAULT_PLAYBOOK, trigger, level),
    }),
    ...surgeStepDialogs(),
  ];
  const areaNames = new Map(deps.config.areas.map((a) => [a.id, a.name]));
  const names = { person: (id: string) => directory.get(id)?.name ?? id, area: (id: string) => areaNames.get(id) ?? id, account: (id: string) => register.label(id) };
  // Who may be called in: the directory's recipients, so someone suspended or gone is never on a surge's list.
  const callable = (ids: readonly string[]) => directory.recipients(ids).map((p) => p.id);
  return {
    surges, dialogs, config,
    /** Which surge a new escalation falls under (for raising), once wired. */
    now: () => ops?.now(),
    wire(more: { dialogs: DialogEngine; escalations: Escalations }) {
      ops = new SurgeOps({ surges, escalations: more.escalations, delivery, store, config, clock, log, tasks: deps.tasks, charts: deps.charts, publicUrl: deps.publicUrl, names, callable });
      flows = new SurgeFlows({ surges, ops, escalations: more.escalations, dialogs: more.dialogs, config, names, log, clock, callable, channelPlatforms: () => [...new Set(delivery.places(config.channels, '').map((p) => p.platform))] });
      const f = flows;
      const o = ops;
      delivery.outbox.register('surge', { collection: (s) => (s as BluedeskState).surges, view: (s) => f.view(s as Surge) });
      delivery.outbox.register(DIGEST_KIND, { collection: (s) => (s as BluedeskState).surgeDigests, view: (d) => o.digestView(d as SurgeDigest) });
      return { flows: f, ops: o };
    },
  };
}
