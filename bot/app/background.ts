import { describeError, type Logger } from '../log.ts';

/**
 * Work done after a request has been answered (posting and updating cards).
 * Tracked so shutdown can wait for it and tests can tell when it is done.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  run(name: string, work: () => Promise<void>): void {
    const task = work()
      .catch((err) => this.log.error(`background task failed: ${name}`, { error: describeError(err) }))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Tracks work already under way (e.g. a Slack handler's work after its ack), so shutdown and `drain` wait for it. */
  async track<T>(work: Promise<T>): Promise<T> {
    const task = work.then(() => undefined, () => undefined);
    this.running.add(task);
    try {
      return await work;
    } finally {
      this.running.delete(task);
    }
  }

  /** Resolves when all work started so far (and any it started) has finished. */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}
