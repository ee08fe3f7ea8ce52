import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeAccountInSlack } from '../helpers/account-flows.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  process.stderr.write(`\n!!! SKIPPING the public accounts page browser test: no Chromium at ${CHROMIUM}.\n!!! Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).\n\n`);
}
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe.skipIf(!haveChromium)('the public list of official accounts in a real browser', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startHarness();
    await activeAccountInSlack(h);
    await activeAccountInSlack(h, { account: { handle: 'TestPolCity', displayName: 'Test Police <City> & "Centre"', area: 'south' }, people: { owner: 'pc.north' } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('meets WCAG 2.2 AA by axe-core, at desktop and phone widths', async () => {
    for (const viewport of [{ width: 1280, height: 800 }, { width: 320, height: 640 }]) {
      // The page's CSP forbids scripts; the test lets axe in without weakening the page.
      const page = await browser.newPage({ viewport, bypassCSP: true });
      await page.goto(`${h.url}/official-accounts`);
      await page.addScriptTag({ content: AXE });
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; help: string; nodes: unknown[] }>; passes: unknown[] }> } }).axe;
        const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
        return { violations: r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), passes: r.passes.length };
      });
      expect(result.violations).toEqual([]);
      expect(result.passes).toBeGreaterThan(10);
      await page.close();
    }
  });

  it('lists the accounts with their links, shows user text literally, and says when it was updated', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.url}/official-accounts`);
    expect(await page.locator('caption').textContent()).toBe('2 official accounts');
    const rows = await page.locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      'X @TestPolCity on X Test Police <City> & "Centre" South Division Verified',
      'X @TestPolNorth on X Test Police North North Division Verified',
    ]);
    expect(await page.locator('a', { hasText: '@TestPolNorth' }).getAttribute('href')).toBe('https://x.com/TestPolNorth');
    expect(await page.locator('time').textContent()).toMatch(/2026/);
    await page.screenshot({ path: '/tmp/bluedesk-official-accounts.png' });
    await page.close();
  });

  it('serves cache headers and answers a revalidation with 304', async () => {
    const res = await fetch(`${h.url}/official-accounts`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=60');
    expect(res.headers.get('last-modified')).toBe(new Date('2026-11-25T14:00:00Z').toUTCString());
    const etag = res.headers.get('etag')!;
    expect((await fetch(`${h.url}/official-accounts`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const json = await fetch(`${h.url}/official-accounts.json`);
    expect(json.headers.get('access-control-allow-origin')).toBe('*');
  });
});
