import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeChannelIssuer, startFakeLoginAuthority, signingKey, signJwt } from '../fakes/entra.ts';
import { eventually } from '../fakes/http.ts';
import { personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { teamsUser } from '../helpers/config.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';

const APP_ID = '0b8c2f1e-4a5d-4e6f-9a7b-1c2d3e4f5a6b';
const APP_PASSWORD = 'test-app-password-do-not-log';
const ISSUER = 'https://api.botframework.com';

describe('Teams: authenticated Bot Framework requests', () => {
  const key = signingKey();
  const stranger = signingKey();
  let issuer: Awaited<ReturnType<typeof startFakeChannelIssuer>>;
  let login: Awaited<ReturnType<typeof startFakeLoginAuthority>>;
  let h: Harness;

  beforeAll(async () => {
    issuer = await startFakeChannelIssuer([key]);
    login = await startFakeLoginAuthority(new URL('../fixtures/tls/', import.meta.url));
    h = await startHarness({
      env: {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: APP_PASSWORD,
        MicrosoftAppType: 'MultiTenant',
        ToBotFromChannelOpenIdMetadataUrl: issuer.metadataUrl,
        ToBotFromChannelTokenIssuer: ISSUER,
        ValidateAuthority: 'false',
        ToChannelFromBotLoginUrl: login.loginUrl,
      },
    });
  });
  afterAll(async () => {
    await h.stop();
    await issuer.close();
    await login.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (serviceUrl: string, over: Record<string, unknown> = {}) => ({
    iss: ISSUER, aud: APP_ID, serviceurl: serviceUrl, nbf: now() - 60, exp: now() + 3600, ...over,
  });

  it('accepts a token signed by the channel key and replies with a token from the login authority', async () => {
    const activity = personalMessage(h.connector.url, teamsUser('desk'), 'help');
    const token = signJwt(claims(h.connector.url), key);
    const res = await postActivity(h.url, activity, `Bearer ${token}`);
    expect(res.status, JSON.stringify(h.log.lines)).toBe(200);
    const reply = await eventually(() => h.connector.calls.find((c) => c.conversationId === activity.conversation.id), 5000, 'reply');
    expect(reply.authorization).toBe('Bearer outbound-token-1');
    expect(login.tokens[0]).toEqual({ clientId: APP_ID, scope: expect.stringContaining('https://api.botframework.com') });
  });

  describe.each([
    ['missing', () => undefined],
    ['garbage', () => 'Bearer not-a-jwt'],
    ['for another app (wrong audience)', (url: string) => `Bearer ${signJwt(claims(url, { aud: 'someone-else' }), key)}`],
    ['expired', (url: string) => `Bearer ${signJwt(claims(url, { nbf: now() - 7200, exp: now() - 3600 }), key)}`],
    ['signed with an unknown key', (url: string) => `Bearer ${signJwt(claims(url), stranger)}`],
    ['signed with the right kid but the wrong key', (url: string) => `Bearer ${signJwt(claims(url), { kid: key.kid, privateKey: stranger.privateKey })}`],
    ['unsigned (alg none)', (url: string) => `Bearer ${signJwt(claims(url), key, 'none')}`],
    ['for a different serviceUrl', () => `Bearer ${signJwt(claims('https://smba.trafficmanager.net/evil/'), key)}`],
  ])('a %s token', (_name, auth) => {
    it('is refused with 401 and nothing is recorded or sent', async () => {
      const before = { decisions: (await h.decisions()).length, calls: h.connector.calls.length };
      // An unknown person would be recorded if the request got through.
      const activity = personalMessage(h.connector.url, { aadObjectId: 'aad-unknown', tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' }, 'escalate');
      const res = await postActivity(h.url, activity, auth(h.connector.url));
      expect(res.status).toBe(401);
      await h.bot.idle();
      expect((await h.decisions()).length).toBe(before.decisions);
      expect(h.connector.calls.length).toBe(before.calls);
      // The refusal is logged with the request's id and platform, like every line logged while serving it.
      const refused = h.log.lines.filter((l) => l.msg === 'teams request refused: not authenticated').at(-1);
      expect(refused?.request).toMatchObject({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), platform: 'teams' });
    });
  });

  it('never logs the app password or a token', () => {
    const all = JSON.stringify(h.log.lines);
    expect(all).not.toContain(APP_PASSWORD);
    expect(all).not.toContain('outbound-token');
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
