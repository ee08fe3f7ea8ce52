import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forceConfigJsonSchema, FORCE_CONFIG_SCHEMA_PATH } from '../../bot/config/json-schema.ts';
import { ConfigError, EXAMPLE_CONFIG, loadForceConfig, parseForceConfig } from '../../bot/config/load-config.ts';
import { readSettings, SettingsError } from '../../bot/config/settings.ts';

const example = () => JSON.parse(readFileSync(EXAMPLE_CONFIG, 'utf8'));

describe('force config', () => {
  it('the shipped example is valid and maps the Playground user to a desk operator who is also a comms approver', () => {
    const cfg = loadForceConfig(EXAMPLE_CONFIG);
    const alex = cfg.people.find((p) => p.teams?.aadObjectId === '00000000-0000-0000-0000-0000000000020');
    expect(alex?.roles).toEqual(expect.arrayContaining(['digital_desk', 'corporate_comms']));
    expect(cfg.platforms.teams.tenantIds).toContain('00000000-0000-0000-0000-0000000000001');
  });

  it('names every bad field and the problem', () => {
    const cfg = example();
    cfg.people[0].roles = ['sheriff'];
    cfg.channels.escalations = { teams: [], slack: [] };
    cfg.extra = true;
    let message = '';
    try {
      parseForceConfig(cfg, 'force.json');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('Force config force.json is not valid');
    expect(message).toMatch(/people\.0\.roles\.0: .*corporate_comms/);
    expect(message).toContain('channels.escalations: name at least one Teams or Slack channel');
    expect(message).toMatch(/\(top level\): Unrecognized key.*extra/);
  });

  it('checks cross-references once the shape is right', () => {
    const cfg = example();
    cfg.people[1].areas = ['atlantis'];
    cfg.people[2].slack.teamId = 'T0NOTLISTED';
    cfg.people[3].id = cfg.people[0].id;
    expect(() => parseForceConfig(cfg)).toThrow(/people\.1\.areas\.0: unknown area "atlantis"[\s\S]*people\.2\.slack\.teamId: team is not in platforms\.slack\.teamIds/);
    expect(() => parseForceConfig(cfg)).toThrow(/people\.3\.id: duplicate person id "alex\.wilber"/);
  });

  it('rejects unreadable JSON with the path', () => {
    expect(() => loadForceConfig('/nonexistent/force.json')).toThrow(/Cannot read force config \/nonexistent\/force.json/);
  });

  it('the committed editor schema matches the validator (run npm run config-schema after changing it)', () => {
    expect(JSON.parse(readFileSync(FORCE_CONFIG_SCHEMA_PATH, 'utf8'))).toEqual(JSON.parse(JSON.stringify(forceConfigJsonSchema())));
  });
});

describe('settings from the environment', () => {
  it('defaults: port 3978, ./var, example config, anonymous Teams, Slack off', () => {
    const s = readSettings({});
    expect(s).toMatchObject({ port: 3978, production: false, teams: { anonymous: true } });
    expect(s.dataDir).toMatch(/\/var$/);
    expect(s.configPath).toBe(EXAMPLE_CONFIG);
    expect(s.slack).toBeUndefined();
  });

  it('production refuses to start without credentials, or on the shipped example config, naming each', () => {
    const force = { BOT_CONFIG: '/etc/bluedesk/force.json' };
    expect(() => readSettings({ NODE_ENV: 'production', ...force })).toThrow(new SettingsError('Missing required settings: MicrosoftAppId, MicrosoftAppPassword'));
    expect(() => readSettings({ NODE_ENV: 'production', MicrosoftAppId: 'a', MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant', ...force }))
      .toThrow(/MicrosoftAppTenantId/);
    expect(() => readSettings({ NODE_ENV: 'production', MicrosoftAppId: 'a', MicrosoftAppPassword: 'p' }))
      .toThrow(new SettingsError('Missing required setting: BOT_CONFIG (the force config: production never runs on the shipped example, whose people are fictional)'));
    expect(readSettings({ NODE_ENV: 'production', MicrosoftAppId: 'a', MicrosoftAppPassword: 'p', ...force }).teams.anonymous).toBe(false);
  });

  it('Slack needs both its secrets, and says which is missing', () => {
    expect(() => readSettings({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => readSettings({ SLACK_BOT_TOKEN: 'xoxb' })).toThrow(/SLACK_SIGNING_SECRET/);
    expect(readSettings({ SLACK_BOT_TOKEN: 'xoxb', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api/' }).slack)
      .toEqual({ botToken: 'xoxb', signingSecret: 's', apiUrl: 'http://127.0.0.1:9/api/' });
  });

  it('Socket Mode takes an app-level token instead of the signing secret', () => {
    expect(readSettings({ SLACK_BOT_TOKEN: 'xoxb', SLACK_APP_TOKEN: 'xapp-1-A-1-x' }).slack).toEqual({ botToken: 'xoxb', appToken: 'xapp-1-A-1-x' });
    expect(() => readSettings({ SLACK_APP_TOKEN: 'xapp-1' })).toThrow(/SLACK_BOT_TOKEN \(SLACK_APP_TOKEN is set\)/);
    expect(() => readSettings({ SLACK_BOT_TOKEN: 'xoxb', SLACK_APP_TOKEN: 'xoxb-wrong-kind' })).toThrow(/app-level token/);
  });

  it('serves metrics and probes on the admin port, 127.0.0.1:9464 unless told otherwise, or not at all', () => {
    expect(readSettings({}).admin).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(readSettings({ ADMIN_PORT: '9100', ADMIN_HOST: '10.0.0.5' }).admin).toEqual({ port: 9100, host: '10.0.0.5' });
    expect(readSettings({ ADMIN_PORT: 'off' }).admin).toBeUndefined();
    expect(() => readSettings({ ADMIN_PORT: 'metrics' })).toThrow(/ADMIN_PORT must be a port number or "off"/);
  });

  it('loads an .env file without overriding what the environment already says', async () => {
    const { loadEnvFile } = await import('../../bot/config/env-file.ts');
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const path = join(await mkdtemp(join(tmpdir(), 'env-')), '.env');
    await writeFile(path, '# a comment\nBLUEDESK_TEST_FROM_FILE=file\nBLUEDESK_TEST_BOTH=file\n');
    process.env.BLUEDESK_TEST_BOTH = 'environment';
    expect(loadEnvFile({ ...process.env, ENV_FILE: path })).toBe(path);
    expect(process.env.BLUEDESK_TEST_FROM_FILE).toBe('file');
    expect(process.env.BLUEDESK_TEST_BOTH).toBe('environment');
    expect(() => loadEnvFile({ ENV_FILE: join(path, 'missing') })).toThrow(/does not exist/);
  });

  it('.env.example lists every setting the code reads', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const example = await readFile(new URL('../../.env.example', import.meta.url), 'utf8');
    const read = new Set<string>();
    for (const dir of ['bot', 'adapters', 'data']) {
      for (const f of (await readdir(new URL(`../../${dir}`, import.meta.url), { recursive: true })).filter((n) => n.endsWith('.ts'))) {
        for (const m of (await readFile(new URL(`../../${dir}/${f}`, import.meta.url), 'utf8')).matchAll(/env\.([A-Z][A-Z0-9_]+)/g)) read.add(m[1]!);
      }
    }
    for (const key of [...read, 'MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId', 'BLUEDESK_INTAKE_SECRET_']) expect(example, key).toContain(key);
  });

  it('passes botbuilder settings through and rejects a bad port', () => {
    expect(readSettings({ ToBotFromChannelOpenIdMetadataUrl: 'http://x' }).teams.botFramework).toEqual({ ToBotFromChannelOpenIdMetadataUrl: 'http://x' });
    expect(() => readSettings({ PORT: 'eighty' })).toThrow(/PORT must be a port number/);
  });

  it('never puts a secret in an error message', () => {
    try {
      readSettings({ NODE_ENV: 'production', MicrosoftAppPassword: 'super-secret-value' });
    } catch (err) {
      expect((err as Error).message).not.toContain('super-secret-value');
    }
  });
});
