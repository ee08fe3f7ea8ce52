import { describe, expect, it } from 'vitest';
import { LIMITS, Pacer } from '../../bot/app/outbox/pacing.ts';

const conversation = [{ key: 'teams:19:c', windows: LIMITS.teams.post }];

describe('outbox pacing', () => {
  it('allows 7 sends to one Teams conversation in a second, then waits for the window (plus margin)', () => {
    const p = new Pacer();
    for (let i = 0; i < 7; i++) {
      expect(p.wait(conversation, 1000 + i)).toBe(0);
      p.take(conversation, 1000 + i);
    }
    const wait = p.wait(conversation, 1010);
    // The first send left at 1000: the eighth may leave a second (and the margin) later.
    expect(wait).toBeGreaterThanOrEqual(990);
    expect(wait).toBeLessThan(1500);
  });

  it('counts a settled send from when its answer came back, so a slow transport cannot bunch arrivals', () => {
    const p = new Pacer();
    for (let i = 0; i < 7; i++) p.take(conversation, 1000);
    const fast = p.wait(conversation, 1000);
    // The first send's answer came back 600 ms after it left: it may have arrived that late.
    p.settle(conversation, 1000, 1600);
    const slow = p.wait(conversation, 1000);
    expect(slow - fast).toBe(0); // the window is set by the oldest of the last 7, still one that left at 1000
    for (let i = 1; i < 7; i++) p.settle(conversation, 1000, 1600);
    expect(p.wait(conversation, 1000)).toBe(fast + 600);
  });

  it('keeps the times sorted when sends settle out of order (app-wide limit, sends in parallel)', () => {
    const app = [{ key: 'teams:app', windows: [{ count: 2, ms: 1000 }] }];
    const p = new Pacer();
    p.take(app, 0);
    p.take(app, 10);
    p.settle(app, 0, 500); // the first came back after the second left
    p.settle(app, 10, 20);
    // The 2 most recent are at 20 and 500: the third waits for 20 + 1000 (and the margin).
    const w = p.wait(app, 100);
    expect(w).toBeGreaterThanOrEqual(920);
    expect(w).toBeLessThan(1400);
  });

  it('ignores a settle for a send it never took (an update that changed nothing)', () => {
    const p = new Pacer();
    p.settle(conversation, 5, 10);
    expect(p.wait(conversation, 10)).toBe(0);
  });
});
