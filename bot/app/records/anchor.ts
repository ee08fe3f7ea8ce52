import { createSocket } from 'node:dgram';
import { hostname } from 'node:os';
import { connect } from 'node:net';
import { notice, type NoticeModel } from '../../../cards/notice/model.ts';
import type { StateStore } from '../../../data/state-store.ts';
import type { RecordsConfig } from '../../config/schema-records.ts';
import { dailyDue, type Clock } from '../../domain/clock.ts';
import type { ChainHead, DecisionLog } from '../../domain/decision-log.ts';
import type { Actor } from '../../domain/people.ts';
import { actorRef } from '../../domain/record-keeper.ts';
import type { RecordsState } from '../../domain/records-types.ts';

/** Where a published head went. */
export interface Published {
  head: ChainHead;
  /** Places the records channel post was queued for (0 when there is no channel or no server to send it). */
  queued: number;
  syslog: 'sent' | 'off' | `failed: ${string}`;
}

type SyslogConfig = NonNullable<RecordsConfig['anchor']['syslog']>;

/**
 * Anchors the chain head outside the file: a hash chain only proves nobody
 * edited the middle, and someone with the file could rewrite it all. Each
 * day (and on demand) the head goes to the records channel and to syslog or
 * a SIEM, where the insider cannot reach it; `verify-log --against` proves
 * a log still holds a published head.
 */
export class ChainAnchor {
  constructor(
    private readonly deps: {
      log: DecisionLog;
      store: StateStore<RecordsState>;
      clock: Clock;
      cfg: RecordsConfig['anchor'];
      announce?: (message: NoticeModel) => Promise<number>;
    },
  ) {}

  async publish(actor: Actor, trigger: 'daily timer' | 'command line'): Promise<Published> {
    const head = await this.deps.log.head();
    const queued = (await this.deps.announce?.(headNotice(head))) ?? 0;
    const syslog = this.deps.cfg.syslog ? await sendSyslog(this.deps.cfg.syslog, head, this.deps.clock.now()) : 'off';
    // Recorded after it went out, so the record says where it went; the published head is the record before this one.
    await this.deps.log.append({ action: 'records.head_published', outcome: 'done', actor: actorRef(actor), details: { seq: head.seq, hash: head.hash, trigger, channelPlaces: queued, syslog } });
    await this.deps.store.update((s) => { s.recordsJobs.anchor = this.deps.clock.now().toISOString(); });
    return { head, queued, syslog };
  }

  /** Publishes once a day at the configured time (UTC), catching up if the server was down then; with nowhere to publish to (no records channel, no syslog) there is nothing to anchor against. */
  async tick(actor: Actor): Promise<number> {
    if (!this.deps.announce && !this.deps.cfg.syslog) return 0;
    if (!dailyDue(this.deps.clock.now(), this.deps.cfg.atUtc, this.deps.store.read().recordsJobs.anchor)) return 0;
    await this.publish(actor, 'daily timer');
    return 1;
  }
}

function headNotice(head: ChainHead): NoticeModel {
  return notice('info', 'Decision log: today’s chain head',
    `Sequence ${head.seq}${head.at ? `, written ${head.at}` : ''}`,
    `SHA-256 ${head.hash}`,
    `Keep this message. \`npm run verify-log -- --against ${head.seq}:${head.hash}\` proves the log still contains this head, unaltered.`);
}

/** One RFC 5424 message: facility log audit (13), severity notice (5), the head as structured data. */
export function syslogMessage(cfg: Pick<SyslogConfig, 'appName'>, head: ChainHead, at: Date): string {
  const sd = `[bluedesk@32473 seq="${head.seq}" hash="${head.hash}"]`;
  return `<109>1 ${at.toISOString()} ${hostname().replace(/[^!-~]/g, '') || '-'} ${cfg.appName} ${process.pid} chain-head ${sd} Bluedesk decision log head ${head.seq} ${head.hash}`;
}

async function sendSyslog(cfg: SyslogConfig, head: ChainHead, at: Date): Promise<Published['syslog']> {
  const message = syslogMessage(cfg, head, at);
  try {
    if (cfg.protocol === 'udp') {
      const socket = createSocket(cfg.host.includes(':') ? 'udp6' : 'udp4');
      await new Promise<void>((resolve, reject) => socket.send(message, cfg.port, cfg.host, (err) => (err ? reject(err) : resolve())));
      socket.close();
    } else {
      // RFC 6587 octet counting, so the collector knows where the message ends.
      await new Promise<void>((resolve, reject) => {
        const s = connect({ host: cfg.host, port: cfg.port }, () => s.end(`${Buffer.byteLength(message)} ${message}`, () => resolve()));
        s.setTimeout(5000, () => s.destroy(new Error('timed out')));
        s.on('error', reject);
      });
    }
    return 'sent';
  } catch (err) {
    return `failed: ${(err as Error).message.slice(0, 200)}`;
  }
}
