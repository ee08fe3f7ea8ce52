import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ESCALATE_MESSAGE_SHORTCUT, SLACK_COMMANDS } from '../../adapters/slack/handlers.ts';
import { TEAMS_COMMANDS, TEAMS_MENU } from '../../adapters/teams/bot.ts';

const read = (path: string) => readFileSync(new URL(`../../manifest/${path}`, import.meta.url));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number; alpha: boolean } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), alpha: buf[25] === 6 };
}

// The Teams app manifest v1.19 constraints Bluedesk relies on (from Microsoft's published schema).
const teamsManifest = z.object({
  $schema: z.literal('https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json'),
  manifestVersion: z.literal('1.19'),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  id: z.string().regex(GUID),
  developer: z.object({ name: z.string().min(1).max(32), websiteUrl: z.string().url(), privacyUrl: z.string().url(), termsOfUseUrl: z.string().url() }),
  name: z.object({ short: z.string().min(1).max(30), full: z.string().max(100) }),
  description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.object({ color: z.literal('color.png'), outline: z.literal('outline.png') }),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  bots: z.array(z.object({
    botId: z.string().regex(GUID),
    scopes: z.array(z.enum(['personal', 'team', 'groupChat'])).min(1),
    commandLists: z.array(z.object({
      scopes: z.array(z.enum(['personal', 'team', 'groupChat'])),
      commands: z.array(z.object({ title: z.string().min(1).max(32), description: z.string().min(1).max(128) })).max(10),
    })).max(3),
  }).passthrough()).length(1),
}).passthrough();

describe('Teams app manifest', () => {
  const raw = read('teams/manifest.json').toString('utf8');
  // Deployment fills the placeholders with the app registration's ids.
  const manifest = JSON.parse(raw.replace('${{TEAMS_APP_ID}}', '6f0b6a2e-3c5d-4e1f-8a9b-0c1d2e3f4a5b').replace('${{MICROSOFT_APP_ID}}', '0b8c2f1e-4a5d-4e6f-9a7b-1c2d3e4f5a6b'));

  it('follows the v1.19 schema constraints', () => {
    const result = teamsManifest.safeParse(manifest);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
  });

  it('offers the bot’s menu of commands, each one the bot handles (the rest are typed, and listed in help)', () => {
    expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual([...TEAMS_MENU]);
    for (const c of TEAMS_MENU) expect(TEAMS_COMMANDS).toContain(c);
  });

  it('ships a 192×192 colour icon and a 32×32 transparent outline icon', () => {
    expect(pngSize(read('teams/color.png'))).toMatchObject({ width: 192, height: 192 });
    expect(pngSize(read('teams/outline.png'))).toEqual({ width: 32, height: 32, alpha: true });
  });
});

describe('Slack app manifest', () => {
  const manifest = JSON.parse(read('slack/manifest.json').toString('utf8'));

  it('declares exactly the slash commands the app handles, all on /slack/events', () => {
    const commands = manifest.features.slash_commands as Array<{ command: string; url: string; description: string }>;
    expect(commands.map((c) => c.command).sort()).toEqual(Object.values(SLACK_COMMANDS).sort());
    for (const c of commands) {
      expect(new URL(c.url).pathname).toBe('/slack/events');
      expect(c.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('points events and interactivity at the same endpoint, without socket mode', () => {
    expect(new URL(manifest.settings.event_subscriptions.request_url).pathname).toBe('/slack/events');
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/slack/events');
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('asks only for the scopes Bluedesk uses', () => {
    // channels:read and groups:read: conversations.info, to check the bot is in each configured channel (/routes, start-up).
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['app_mentions:read', 'channels:read', 'chat:write', 'commands', 'files:read', 'groups:read', 'im:history', 'users:read']);
    expect(manifest.features.shortcuts.map((s: { callback_id: string }) => s.callback_id)).toEqual([ESCALATE_MESSAGE_SHORTCUT]);
    // member_joined_channel: alerts waiting for a channel go as soon as the bot is added to it.
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'member_joined_channel', 'message.im', 'user_change']);
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
  });
});
