import type { WritableArchive } from './domain/record-keeper.ts';
import type { StateStore } from '../data/state-store.ts';
import type { Delivery } from './app/delivery.ts';
import { ChainAnchor } from './app/records/anchor.ts';
import { DecisionHistory } from './app/records/decision-history.ts';
import { RecordsFlows } from './app/records/records-flows.ts';
import { RecordsOps } from './app/records/records-ops.ts';
import { DeadLetterOps } from './app/records/dead-letter-ops.ts';
import { RetentionJob } from './app/records/retention-job.ts';
import { RecordVisibility } from './app/records/visibility.ts';
import type { ForceConfig } from './config/schema.ts';
import type { CheckpointedLog } from './domain/checkpoint.ts';
import type { Clock } from './domain/clock.ts';
import { SYSTEM_ACTOR } from './domain/escalations.ts';
import { LegalHolds } from './domain/legal-holds.ts';
import type { Directory } from './domain/people.ts';
import { RecordKeeper } from './domain/record-keeper.ts';
import type { Disposal, LegalHold } from './domain/records-types.ts';
import type { Logger } from './log.ts';
import type { BluedeskState } from './state.ts';

/**
 * Decision records: history, holds, retention, anchoring and the command
 * line's operations. Used by the server, and by the command line itself
 * when no server holds DATA_DIR (then without `delivery`: nothing is posted).
 */
export function recordsDomain(deps: { config: ForceConfig; store: StateStore<BluedeskState>; log: CheckpointedLog; clock: Clock; directory: Directory; logger: Logger; delivery?: Delivery; archives?: Record<string, WritableArchive<unknown>> }) {
  const { config, store, log, clock, directory, delivery } = deps;
  const restrictedCases = () => Object.values(store.read().leaverCases).filter((c) => c.restricted).map((c) => `leaver:${c.id}`);
  const visibility = new RecordVisibility(restrictedCases);
  const holds = new LegalHolds(new RecordKeeper<LegalHold, BluedeskState>({ store, log, clock, collection: 'legalHolds', subject: 'hold', prefix: 'HLD' }), log,
    (s) => restrictedCases().includes(`${s.type}:${s.id}`));
  const channel = config.records.channel;
  const announce = delivery && channel ? (m: Parameters<Delivery['announce']>[1]) => delivery.announce([{ channel }], m, 'records') : undefined;
  const retention = config.records.retention ? new RetentionJob({
    cfg: config.records.retention, store, log, clock, holds, logger: deps.logger, ...(announce ? { announce } : {}), ...(deps.archives ? { archives: deps.archives } : {}),
    keeper: new RecordKeeper<Disposal, BluedeskState>({ store, log, clock, collection: 'disposals', subject: 'disposal', prefix: 'DSP' }),
  }) : undefined;
  const anchor = new ChainAnchor({ log, store, clock, cfg: config.records.anchor, ...(announce ? { announce } : {}) });
  const history = new DecisionHistory({ log, visibility, directory });
  return {
    visibility, holds, retention, anchor,
    flows: new RecordsFlows({ history, holds, log, visibility }),
    ops: new RecordsOps({
      log, directory, visibility, anchor, clock,
      deadLetters: new DeadLetterOps({ store, log, clock, admins: config.delivery.admins, retryForHours: config.delivery.retryForHours, ...(delivery ? { kick: () => delivery.outbox.kick() } : {}) }), ...(retention ? { retention } : {}) }),
    /** The daily jobs: disposal, then publishing the chain head. */
    tick: async () => (retention ? await retention.tick(SYSTEM_ACTOR) : 0) + (await anchor.tick(SYSTEM_ACTOR)),
  };
}
