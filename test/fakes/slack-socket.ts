import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** An acknowledgement as the app sends it: the envelope it answers, and any response payload. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/**
 * A loopback stand-in for Slack's Socket Mode servers, speaking the
 * published envelope format: a `hello` on connect; each event as
 * `{ envelope_id, type, payload, accepts_response_payload, retry_attempt,
 * retry_reason }`; the app acknowledges with `{ envelope_id, payload }`;
 * `{ type: "disconnect" }` asks it to reconnect through apps.connections.open.
 */
export async function startFakeSlackSocket() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as AddressInfo).port;
  let current: WebSocket | undefined;
  let connections = 0;
  const acks = new Map<string, (ack: SocketAck) => void>();
  const received: SocketAck[] = [];
  const opened: Array<() => void> = [];
  wss.on('connection', (ws) => {
    connections += 1;
    current = ws;
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as SocketAck;
      received.push(ack);
      acks.get(ack.envelope_id)?.(ack);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-socket', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0BLUEDESK' } }));
    for (const w of opened.splice(0)) w();
  });
  return {
    /** The URL apps.connections.open hands out (a fresh ticket each time, as Slack's do). */
    url: () => `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}`,
    get connections() { return connections; },
    received,
    /** Resolves once the app has connected (again), i.e. `connections` reached `n`. */
    connected(n = 1): Promise<void> {
      return connections >= n && current?.readyState === 1 ? Promise.resolve() : new Promise((r) => opened.push(() => (connections >= n ? r() : void this.connected(n).then(r))));
    },
    /** Sends one envelope and resolves with the app's acknowledgement (or rejects after `ms`). */
    send(type: 'events_api' | 'slash_commands' | 'interactive', payload: unknown, opts: { envelopeId?: string; retryAttempt?: number; retryReason?: string; ms?: number } = {}): Promise<SocketAck> {
      const envelopeId = opts.envelopeId ?? randomUUID();
      const envelope = {
        envelope_id: envelopeId, type, payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api' ? { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' } : {}),
      };
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ack for ${type} ${envelopeId}`)), opts.ms ?? 5000);
        acks.set(envelopeId, (ack) => { clearTimeout(timer); resolve(ack); });
        current!.send(JSON.stringify(envelope));
      });
    },
    /** Slack recycling the connection: the app should reconnect with a new URL. */
    disconnect(reason = 'refresh_requested'): void {
      current?.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-socket' } }));
    },
    close: () => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => r());
    }),
  };
}

export type FakeSlackSocket = Awaited<ReturnType<typeof startFakeSlackSocket>>;
