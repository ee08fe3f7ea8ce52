import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonLogger, requestContext, routeConsole } from '../../bot/log.ts';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l)); done(); } });
  return { lines, destination };
}

describe('structured logs (pino)', () => {
  const saved = { log: console.log, warn: console.warn, error: console.error, info: console.info, debug: console.debug };
  afterEach(() => Object.assign(console, saved));

  it('writes one JSON object per line with time, level, message, and the request id and platform while serving a request', () => {
    const { lines, destination } = capture();
    const log = jsonLogger({ destination });
    log.info('outside');
    requestContext.run({ requestId: 'r-1', platform: 'slack' }, () => log.warn('inside', { item: 'OBX-1' }));
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'outside' });
    expect(lines[0]).not.toHaveProperty('requestId');
    expect(typeof lines[0]!.time).toBe('string');
    expect(lines[1]).toMatchObject({ level: 'warn', msg: 'inside', requestId: 'r-1', platform: 'slack', item: 'OBX-1' });
  });

  it('keeps each line’s fields to that line: the next line in the same request carries only the request’s own', () => {
    const { lines, destination } = capture();
    const log = jsonLogger({ destination });
    requestContext.run({ requestId: 'r-2', platform: 'teams' }, () => {
      log.error('delivery failed', { item: 'OUT-7', error: 'boom' });
      log.info('next');
    });
    expect(lines[1]).toEqual({ level: 'info', time: expect.any(String), msg: 'next', requestId: 'r-2', platform: 'teams' });
  });

  it('never writes a value under a secret’s or a message body’s name, at the top or one level down', () => {
    const { lines, destination } = capture();
    jsonLogger({ destination }).error('call failed', { token: 'xoxb-1', detail: { authorization: 'Bearer abc', text: 'a member of the public’s message' } });
    expect(JSON.stringify(lines)).not.toMatch(/xoxb-1|Bearer abc|member of the public/);
    expect(lines[0]).toMatchObject({ token: '[redacted]', detail: { authorization: '[redacted]', text: '[redacted]' } });
  });

  it('honours LOG_LEVEL, and routes third-party console output and Node warnings into the log', async () => {
    const { lines, destination } = capture();
    const log = jsonLogger({ destination, level: 'warn' });
    routeConsole(log);
    console.log('a library says hello');
    console.warn('a library is worried', { n: 1 });
    process.emitWarning('something is deprecated', 'DeprecationWarning', 'DEP0999');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([['warn', 'a library is worried { n: 1 }'], ['warn', 'node warning']]);
    expect(lines[0]).toMatchObject({ source: 'console' });
    expect(lines[1]).toMatchObject({ name: 'DeprecationWarning', code: 'DEP0999', warning: 'something is deprecated' });
  });
});
