import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OutboxWorker } from './app/outbox/worker.ts';
import type { Logger } from './log.ts';
import type { OpenStorage } from './open-storage.ts';

type Handler<R> = (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => Promise<R>;

/**
 * How this instance behaves when others share its storage (PostgreSQL).
 * Every instance serves requests, each first bringing memory up to date
 * (the intake API needs no catch-up read: a raise reads what others wrote
 * inside its own transaction);
 * only the leader (see data/pg/leadership.ts) fires timers, delivers the
 * outbox and runs the scheduled records jobs, so each happens once. When
 * the leader goes, another takes over and carries on from the shared state.
 * On lowdb there is one instance and it always leads.
 */
export class SharedRole {
  constructor(
    private readonly shared: OpenStorage['shared'],
    private readonly worker: OutboxWorker,
    private readonly log: Logger,
  ) {}

  get leads(): boolean {
    return !this.shared || this.shared.leadership.isLeader;
  }

  /**
   * Starts delivering if this instance leads, and follows leadership as it
   * moves; `catchUp` fires what fell due meanwhile. On shared storage memory
   * is brought up to date first, so nothing another instance delivered while
   * this one started is sent again.
   */
  async start(catchUp: () => void): Promise<void> {
    if (this.shared) await this.shared.sync();
    if (this.leads) this.worker.start();
    if (!this.shared) return;
    this.log.info(this.leads ? 'shared storage: this instance runs timers and delivery' : 'shared storage: another instance runs timers and delivery; this one serves requests');
    this.shared.leadership.onChange((leading) => {
      this.log.warn(leading ? 'shared storage: this instance now runs timers and delivery (the previous one stopped)' : 'shared storage: this instance no longer runs timers and delivery (its database session was lost)');
      if (leading) {
        void this.shared!.sync().then(() => { this.worker.start(); catchUp(); }, () => undefined);
      } else this.worker.pause();
    });
    // What another instance queued is delivered by the leader as soon as it is seen.
    this.shared.onRemoteChange(() => this.worker.poke());
  }

  /** Runs `work` only on the leader, with memory brought up to date first; elsewhere it does nothing. */
  async ifLeader(work: () => Promise<number>): Promise<number> {
    if (!this.leads) return 0;
    await this.shared?.sync();
    return work();
  }

  /** Wraps a request handler so it sees what other instances committed (a form opened on one, submitted on another). */
  current<R>(handler: Handler<R>): Handler<R> {
    const shared = this.shared;
    if (!shared) return handler;
    return async (req, res) => {
      await shared.sync();
      return handler(req, res);
    };
  }
}
