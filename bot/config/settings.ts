import { resolve } from 'node:path';
import { EXAMPLE_CONFIG } from './load-config.ts';

/** Settings that come from the environment (secrets and deployment choices). */
export interface Settings {
  port: number;
  /** HOST: the address to listen on. Unset: 127.0.0.1 in anonymous local mode, every interface otherwise. */
  host?: string;
  production: boolean;
  configPath: string;
  dataDir: string;
  /** PUBLIC_URL: the address Teams clients and Slack reach the bot at, for pictures in cards (a surge's chart). */
  publicUrl?: string;
  teams: {
    /** botbuilder's own settings, passed through as-is (MicrosoftAppId, ToBotFromChannelOpenIdMetadataUrl …). */
    botFramework: Record<string, string>;
    appId?: string;
    /** True when no app id is set: local development only. */
    anonymous: boolean;
  };
  /** Slack over HTTP (a signing secret for /slack/events) or Socket Mode (an app-level token: Bluedesk connects out, nothing calls in). */
  slack?: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string };
  /** ADMIN_PORT and ADMIN_HOST: where /metrics, /livez and /readyz are served (127.0.0.1:9464 by default); absent when ADMIN_PORT=off. */
  admin?: { port: number; host: string };
  /** DATABASE_URL and DATABASE_SCHEMA: PostgreSQL instead of lowdb under DATA_DIR, so several instances can share the data. */
  database?: { url: string; schema: string; waitSeconds: number };
  /** Intake API secrets by environment variable name (BLUEDESK_INTAKE_SECRET_*); the force config says which source uses which. */
  intakeSecrets: Record<string, string>;
}

/** Settings that could not be accepted; the message names the setting. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** botbuilder's standard configuration keys, read from the environment unchanged. */
const BOT_FRAMEWORK_KEYS = [
  'MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId',
  'ChannelService', 'ValidateAuthority', 'ToChannelFromBotLoginUrl', 'ToChannelFromBotOAuthScope',
  'ToBotFromChannelTokenIssuer', 'OAuthUrl', 'ToBotFromChannelOpenIdMetadataUrl', 'ToBotFromEmulatorOpenIdMetadataUrl',
  'CallerId', 'CertificateThumbprint', 'CertificatePrivateKey', 'BotOpenIdMetadata', 'OAuthApiEndpoint',
] as const;

/**
 * Reads settings from the environment. Production refuses to run without
 * credentials; elsewhere a missing app id means anonymous local mode.
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const production = env.NODE_ENV === 'production';
  const botFramework: Record<string, string> = {};
  for (const key of BOT_FRAMEWORK_KEYS) {
    const v = env[key];
    if (v !== undefined && v !== '') botFramework[key] = v;
  }
  const appId = botFramework.MicrosoftAppId;
  const appType = botFramework.MicrosoftAppType ?? 'MultiTenant';
  const missing: string[] = [];
  if (production) {
    if (!appId) missing.push('MicrosoftAppId');
    const needsSecret = appType !== 'UserAssignedMSI' && !botFramework.CertificateThumbprint;
    if (needsSecret && !botFramework.MicrosoftAppPassword) missing.push('MicrosoftAppPassword');
    if ((appType === 'SingleTenant' || appType === 'UserAssignedMSI') && !botFramework.MicrosoftAppTenantId) missing.push('MicrosoftAppTenantId');
  }
  if (appId && !botFramework.MicrosoftAppPassword && appType !== 'UserAssignedMSI' && !botFramework.CertificateThumbprint && !production) {
    missing.push('MicrosoftAppPassword');
  }
  const signingSecret = env.SLACK_SIGNING_SECRET || undefined;
  const botToken = env.SLACK_BOT_TOKEN || undefined;
  const appToken = env.SLACK_APP_TOKEN || undefined;
  if ((signingSecret || appToken) && !botToken) missing.push(`SLACK_BOT_TOKEN (${appToken ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET'} is set)`);
  if (botToken && !signingSecret && !appToken) missing.push('SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN for Socket Mode (SLACK_BOT_TOKEN is set)');
  if (appToken && !appToken.startsWith('xapp-')) throw new SettingsError('SLACK_APP_TOKEN must be an app-level token (it starts "xapp-"), with the connections:write scope');
  // The shipped example names fictional people with real-looking roles: production must say which force it serves.
  if (production && !env.BOT_CONFIG?.trim()) missing.push('BOT_CONFIG (the force config: production never runs on the shipped example, whose people are fictional)');
  if (missing.length) throw new SettingsError(`Missing required setting${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);

  const port = Number(env.PORT ?? 3978);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SettingsError(`PORT must be a port number, not "${env.PORT}"`);
  const host = env.HOST?.trim() || undefined;
  const adminRaw = env.ADMIN_PORT?.trim() || '9464';
  const adminPort = Number(adminRaw);
  if (adminRaw !== 'off' && (!Number.isInteger(adminPort) || adminPort < 0 || adminPort > 65535)) throw new SettingsError(`ADMIN_PORT must be a port number or "off", not "${env.ADMIN_PORT}"`);
  const publicUrl = env.PUBLIC_URL?.trim() || undefined;
  const storage = readStorageSettings(env);
  if (publicUrl && !/^https?:\/\/[^\s/]+/.test(publicUrl)) throw new SettingsError('PUBLIC_URL must be an http(s) address, e.g. https://bluedesk.example.police.uk');
  return {
    port,
    ...(host ? { host } : {}),
    ...(publicUrl ? { publicUrl } : {}),
    production,
    ...storage,
    teams: { botFramework, ...(appId ? { appId } : {}), anonymous: !appId },
    ...(adminRaw === 'off' ? {} : { admin: { port: adminPort, host: env.ADMIN_HOST?.trim() || '127.0.0.1' } }),
    intakeSecrets: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('BLUEDESK_INTAKE_SECRET_') && !!e[1])),
    ...(botToken && (signingSecret || appToken)
      ? { slack: { botToken, ...(signingSecret ? { signingSecret } : {}), ...(appToken ? { appToken } : {}), ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}) } }
      : {}),
  };
}

/**
 * What the offline commands need (verify-log, export, report, sar,
 * retention, log-head, dead-letters, migrate, storage:copy): where the
 * config and the data are. No bot credential is asked for, so they run in a
 * production image or on a records officer's machine without Teams or Slack
 * secrets.
 */
export function readStorageSettings(env: NodeJS.ProcessEnv = process.env): Pick<Settings, 'configPath' | 'dataDir' | 'database'> {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new SettingsError('DATABASE_URL must be a postgres:// address, e.g. postgres://bluedesk:<password>@db.example.police.uk:5432/bluedesk');
  return {
    configPath: resolve(env.BOT_CONFIG || EXAMPLE_CONFIG),
    dataDir: resolve(env.DATA_DIR || './var'),
    ...(databaseUrl ? { database: { url: databaseUrl, schema: env.DATABASE_SCHEMA?.trim() || 'public', waitSeconds: waitSeconds(env.DATABASE_WAIT_SECONDS) } } : {}),
  };
}

/** DATABASE_WAIT_SECONDS: how long start-up waits for a database that is down or starting (default 120). */
function waitSeconds(raw: string | undefined): number {
  const n = Number(raw?.trim() || 120);
  if (!Number.isInteger(n) || n < 0 || n > 3600) throw new SettingsError(`DATABASE_WAIT_SECONDS must be a whole number of seconds from 0 to 3600, not "${raw}"`);
  return n;
}
