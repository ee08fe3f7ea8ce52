import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';
import { SLACK_ESCALATION_CHANNEL } from '../helpers/config.ts';
import { INTAKE_SECRET, startHarness, type Harness } from '../helpers/harness.ts';
import { intakeHeaders } from '../helpers/intake.ts';

const spec = JSON.parse(readFileSync(new URL('../../adapters/http/openapi.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema({ $id: 'openapi', components: spec.components });
const validator = (name: string) => ajv.compile({ $ref: `openapi#/components/schemas/${name}` });
const validRequest = validator('IntakeRequest');
const responseSchemas: Record<number, ReturnType<typeof validator>> = Object.fromEntries(
  Object.entries(spec.paths['/api/v1/escalations'].post.responses).map(([status, r]: [string, any]) => [Number(status), ajv.compile({ $ref: `openapi${r.content['application/json'].schema.$ref}` })]),
);

const GOOD = {
  contentUrl: 'https://www.tiktok.com/@someone/video/1?is_from_webapp=1#top',
  platform: 'TikTok', category: 'threat_to_life', summary: 'Video threatens a named PCSO', area: 'north',
  authorIsVictimOrWitness: 'no', capturedText: 'I know where you live', capturedAt: '2026-11-25T13:59:00Z',
  attachments: [{ fileId: 'orlo-media-77', name: 'frame.png', sha256: 'a'.repeat(64) }],
};

describe('intake API: POST /api/v1/escalations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.stop());

  async function send(body: unknown, opts: { key?: string; secret?: string; source?: string; at?: Date; type?: string; signature?: string; headers?: Record<string, string> } = {}) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const signed = intakeHeaders(opts.secret ?? INTAKE_SECRET, opts.key ?? `k-${Math.random()}`, raw, { ...(opts.source ? { source: opts.source } : {}), ...(opts.at ? { at: opts.at } : {}) });
    const res = await fetch(`${h.url}/api/v1/escalations`, {
      method: 'POST',
      headers: { ...signed, 'content-type': opts.type ?? 'application/json', ...(opts.signature !== undefined ? { 'webhook-signature': opts.signature } : {}), ...opts.headers },
      body: raw,
    });
    const json = await res.json();
    // Every answer, whatever its status, must be what the OpenAPI file says.
    const check = responseSchemas[res.status];
    expect(check, `undocumented status ${res.status}`).toBeDefined();
    expect(check!(json), JSON.stringify(check!.errors)).toBe(true);
    return { status: res.status, json: json as any, location: res.headers.get('location') };
  }

  it('raises an escalation, records the source as raiser, keeps evidence by hash, and alerts like any other', async () => {
    const res = await send(GOOD, { key: 'orlo-1' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ severity: 'critical', raisedBy: 'Orlo (SMMP)', route: { rules: ['Threat to life'], defaulted: false } });
    expect(res.location).toBe(`/api/v1/escalations/${res.json.id}`);
    expect(res.json.evidence).toEqual({
      normalisedUrl: 'https://www.tiktok.com/@someone/video/1?is_from_webapp=1',
      capturedAt: '2026-11-25T13:59:00Z',
      textSha256: createHash('sha256').update('I know where you live').digest('hex'),
      attachments: [{ platform: 'api', fileId: 'orlo-media-77', name: 'frame.png', sha256: 'a'.repeat(64) }],
    });
    expect((await h.decisions()).at(-1)).toMatchObject({ action: 'escalation.raised', actor: { personId: 'source:orlo', name: 'Orlo (SMMP)', identity: 'api:orlo' } });
    expect(JSON.stringify(await h.decisions())).not.toContain('I know where you live');
    await eventually(() => h.slack.of('chat.postMessage').find((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && JSON.stringify(c.args.blocks).includes(res.json.id)), 3000, 'alert');
    // On PostgreSQL the raise's transaction shows in the write lock's metrics; lowdb has no such lock.
    const metrics = await (await fetch(`${h.bot.adminUrl}/metrics`)).text();
    const sampled = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
    if (process.env.BLUEDESK_TEST_STORAGE === 'postgres') {
      expect(sampled('bluedesk_storage_write_lock_held_seconds_count')).toBeGreaterThanOrEqual(1);
      expect(sampled('bluedesk_storage_changes_written_total')).toBeGreaterThanOrEqual(1);
    } else expect(sampled('bluedesk_storage_write_lock_held_seconds_count')).toBe(0);
  });

  it('answers a retry with the same webhook-id with the first answer, and raises nothing new', async () => {
    const first = await send(GOOD, { key: 'orlo-2' });
    const count = (await h.decisions()).length;
    const again = await send(GOOD, { key: 'orlo-2' });
    // The first answer again, with delivery as it stands now.
    const { delivery: _d1, ...firstCore } = first.json;
    const { delivery: _d2, ...againCore } = again.json;
    expect([again.status, againCore, again.location]).toEqual([first.status, firstCore, first.location]);
    expect((await h.decisions()).length).toBe(count);
    expect((await send({ ...GOOD, summary: 'different' }, { key: 'orlo-2' })).status).toBe(409);
  });

  it('refuses unsigned, badly signed, stale, future and unknown-source requests with 401, recording nothing', async () => {
    const before = (await h.decisions()).length;
    expect((await send(GOOD, { signature: '' })).status).toBe(401);
    expect((await send(GOOD, { secret: `whsec_${Buffer.from('some other key').toString('base64')}` })).status).toBe(401);
    expect((await send(GOOD, { at: new Date(Date.now() - 301_000) })).status).toBe(401);
    expect((await send(GOOD, { at: new Date(Date.now() + 600_000) })).status).toBe(401);
    expect((await send(GOOD, { source: 'someone-else' })).status).toBe(401);
    expect((await h.decisions()).length).toBe(before);
  });

  it('refuses a captured request replayed under a new webhook-id: the id is signed', async () => {
    const raw = JSON.stringify({ ...GOOD, summary: 'replay me' });
    const captured = intakeHeaders(INTAKE_SECRET, 'orlo-replay-1', raw);
    const first = await fetch(`${h.url}/api/v1/escalations`, { method: 'POST', headers: captured, body: raw });
    expect(first.status).toBe(201);
    const before = (await h.decisions()).length;
    const replay = await fetch(`${h.url}/api/v1/escalations`, { method: 'POST', headers: { ...captured, 'webhook-id': 'orlo-replay-2' }, body: raw });
    expect(replay.status).toBe(401);
    expect((await h.decisions()).length).toBe(before);
  });

  it('refuses the wrong content type, oversized bodies (closing the connection) and missing ids', async () => {
    expect((await send(GOOD, { type: 'text/plain' })).status).toBe(415);
    const big = await fetch(`${h.url}/api/v1/escalations`, { method: 'POST', headers: intakeHeaders(INTAKE_SECRET, 'big', 'x'), body: JSON.stringify({ ...GOOD, capturedText: 'x'.repeat(300_000) }) });
    expect([big.status, big.headers.get('connection')]).toEqual([413, 'close']);
    expect((await send(GOOD, { key: '' })).status).toBe(401);
  });

  it('agrees with its OpenAPI description on which bodies are valid, and names each bad field', async () => {
    const samples: unknown[] = [
      GOOD,
      { contentUrl: 'https://x.com/a/1', platform: 'X', category: 'other', summary: 's', area: 'south' },
      { ...GOOD, contentUrl: 'ftp://x.com/a' },
      { ...GOOD, contentUrl: 'not a url' },
      { ...GOOD, platform: 'MySpace' },
      { ...GOOD, category: 'gossip' },
      { ...GOOD, summary: '' },
      { ...GOOD, summary: 'x'.repeat(1501) },
      { ...GOOD, extra: 1 },
      { ...GOOD, authorAlreadyEngaged: 'yes' },
      { ...GOOD, capturedAt: 'yesterday' },
      { ...GOOD, attachments: [{ fileId: 'f', sha256: 'nothex' }] },
      (({ summary: _s, ...rest }) => rest)(GOOD),
      [],
      'null',
    ];
    for (const body of samples) {
      const res = await send(body);
      const documentedValid = validRequest(typeof body === 'string' ? JSON.parse(body) : body);
      expect(res.status === 201, JSON.stringify(body).slice(0, 100)).toBe(documentedValid);
      if (res.status === 400 && typeof body === 'object' && !Array.isArray(body)) expect(res.json.errors?.length).toBeGreaterThan(0);
    }
    const bad = await send({ ...GOOD, category: 'gossip', area: 'atlantis' });
    expect(bad.json.errors.map((e: { field: string }) => e.field)).toContain('category');
    const badArea = await send({ ...GOOD, area: 'atlantis' });
    expect(badArea.json.errors).toEqual([{ field: 'area', message: 'unknown area "atlantis"; use one of north, south' }]);
    expect((await send('{nope')).json).toEqual({ error: 'invalid_request', message: 'The body is not valid JSON.' });
  });

  it('serves its OpenAPI description', async () => {
    const res = await fetch(`${h.url}/api/v1/openapi.json`);
    expect((await res.json()).openapi).toBe('3.1.0');
  });
});

it('refuses to start when an intake source has no secret, naming the setting', async () => {
  await expect(startHarness({ env: { BLUEDESK_INTAKE_SECRET_ORLO: '' } })).rejects.toThrow('Missing required setting: BLUEDESK_INTAKE_SECRET_ORLO (the secret of intake source "orlo")');
});

it('accepts either of two secrets while a source rotates, and refuses a secret not in whsec_ form', async () => {
  const next = `whsec_${Buffer.from('the-next-orlo-secret-abcdef').toString('base64')}`;
  const h = await startHarness({ env: { BLUEDESK_INTAKE_SECRET_ORLO: `${INTAKE_SECRET} ${next}` } });
  try {
    for (const [i, secret] of [INTAKE_SECRET, next].entries()) {
      const raw = JSON.stringify({ ...GOOD, summary: `rotation ${i}` });
      const res = await fetch(`${h.url}/api/v1/escalations`, { method: 'POST', headers: intakeHeaders(secret, `rot-${i}`, raw), body: raw });
      expect(res.status).toBe(201);
    }
  } finally {
    await h.stop();
  }
  await expect(startHarness({ env: { BLUEDESK_INTAKE_SECRET_ORLO: 'plain-shared-secret' } })).rejects.toThrow('BLUEDESK_INTAKE_SECRET_ORLO must be one or more Standard Webhooks secrets');
});
