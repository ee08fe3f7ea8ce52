import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One HTTP request as the load generator sends it. */
export interface LoadRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** What a load run measured: requests per second, latency percentiles (ms) and failures (a non-2xx answer or an error). */
export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  failures: number;
}

const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

function send(agent: Agent, base: URL, r: LoadRequest): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ agent, host: base.hostname, port: base.port, path: r.path, method: 'POST', headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve((res.statusCode ?? 500) < 300));
    });
    req.on('error', () => resolve(false));
    req.end(r.body);
  });
}

function summarise(ms: number[], failures: number, seconds: number): LoadResult {
  return { requests: ms.length, rps: ms.length / seconds, p50: pct(ms, 50), p99: pct(ms, 99), failures };
}

/** Closed loop: `connections` kept-alive connections, each sending its next request as soon as the last is answered, for `seconds`. */
export async function closedLoop(url: string, make: (i: number) => LoadRequest, connections = 10, seconds = 8): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const base = new URL(url);
  const ms: number[] = [];
  let failures = 0;
  let i = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      if (!(await send(agent, base, make(i++)))) failures += 1;
      ms.push(performance.now() - t);
    }
  }));
  agent.destroy();
  return summarise(ms, failures, (performance.now() - t0) / 1000);
}

/** Open loop: requests started at a fixed rate whatever the answers, so latency includes any queueing a slow server causes. */
export async function openLoop(url: string, make: (i: number) => LoadRequest, perSecond = 50, seconds = 8): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const base = new URL(url);
  const ms: number[] = [];
  let failures = 0;
  const total = perSecond * seconds;
  const t0 = performance.now();
  const sent: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    sent.push(send(agent, base, make(i)).then((ok) => { if (!ok) failures += 1; ms.push(performance.now() - t); }));
  }
  await Promise.all(sent);
  agent.destroy();
  return summarise(ms, failures, seconds);
}
