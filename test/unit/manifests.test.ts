import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ESCALATE_MESSAGE_SHORTCUT, SLACK_COMMANDS } from '../../adapters/slack/handlers.ts';
import { TEAMS_COMMANDS, TEAMS_MENU } from '../../adapters/teams/bot.ts';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { helpNotice } from '../../bot/app/help.ts';
import { slackManifest } from '../../bot/cli/manifest-slack.ts';
import { fillManifest, teamsPackage } from '../../bot/cli/package-teams.ts';
import { ROLES } from '../../bot/domain/roles.ts';
import { decodePng } from '../helpers/png.ts';

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

const IDS = { TEAMS_APP_ID: '6f0b6a2e-3c5d-4e1f-8a9b-0c1d2e3f4a5b', BOT_ID: '0b8c2f1e-4a5d-4e6f-9a7b-1c2d3e4f5a6b' };

describe('Teams app manifest', () => {
  const raw = read('teams/manifest.json').toString('utf8');
  // Deployment fills the placeholders with the app registration's ids (npm run package:teams).
  const filled = fillManifest(raw, IDS);
  const manifest = JSON.parse('manifest' in filled ? filled.manifest : '{}');

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

  it('validates against Microsoft’s official schema for its declared version', () => {
    const version = manifest.manifestVersion as string;
    const schema = JSON.parse(readFileSync(new URL(`../../node_modules/@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`, import.meta.url), 'utf8'));
    // Both packages are CommonJS with the export also on `default`, which is what their types describe.
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(manifest), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it('matches the code: file uploads are handled, so supportsFiles is on; private and shared channels are declared', () => {
    expect(manifest.bots[0].supportsFiles).toBe(true);
    expect(readFileSync(new URL('../../adapters/teams/attachments.ts', import.meta.url), 'utf8')).toContain("'application/vnd.microsoft.teams.file.download.info'");
    expect(manifest.supportedChannelTypes.sort()).toEqual(['privateChannels', 'sharedChannels']);
  });

  it('keeps the colour icon’s symbol inside the centre 120×120 safe area, on a full-bleed background', () => {
    const png = decodePng(read('teams/color.png'));
    const background = png.pixel(0, 0);
    expect(background[3]).toBe(255);
    const outside: string[] = [];
    let inside = 0;
    for (let y = 0; y < 192; y++) {
      for (let x = 0; x < 192; x++) {
        const same = png.pixel(x, y).every((v, i) => Math.abs(v - background[i]!) <= 2);
        const safe = x >= 36 && x < 156 && y >= 36 && y < 156;
        if (!same && !safe) outside.push(`${x},${y}`);
        if (!same && safe) inside += 1;
      }
    }
    expect(outside.slice(0, 5)).toEqual([]);
    expect(inside).toBeGreaterThan(2000);
  });

  it('npm run package:teams writes the manifest and both icons at the zip’s root, with the ids filled', async () => {
    const built = await teamsPackage(IDS);
    if (!('zip' in built)) throw new Error(built.problems.join('; '));
    const zip = await JSZip.loadAsync(built.zip);
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const inZip = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(inZip).toEqual(manifest);
    expect(inZip.id).toBe(IDS.TEAMS_APP_ID);
    expect(inZip.bots[0].botId).toBe(IDS.BOT_ID);
    expect(Buffer.from(await zip.file('color.png')!.async('uint8array')).equals(read('teams/color.png'))).toBe(true);
  });

  it('refuses to package with an id missing or not a GUID, naming each', async () => {
    const out = await teamsPackage({ BOT_ID: 'my-bot' });
    expect('problems' in out && out.problems).toEqual([expect.stringContaining('TEAMS_APP_ID is not set'), 'BOT_ID must be a GUID, not "my-bot".']);
  });
});

describe('commands agree everywhere', () => {
  it('the Teams commands, the Slack manifest’s commands, and help name the same things', () => {
    const slackWords = Object.values(SLACK_COMMANDS).map((c) => c.slice(1)).map((c) => (c === 'bluedesk' ? 'help' : c)).sort();
    expect(slackWords).toEqual([...TEAMS_COMMANDS].sort());
    const everyone = { id: 'all', name: 'All Roles', email: 'a@x.police.uk', roles: [...ROLES], areas: ['north'] };
    const help = helpNotice(everyone).lines.join('\n');
    for (const c of TEAMS_COMMANDS) expect(help, c).toMatch(new RegExp(`(^|[^a-z])${c}([^a-z]|$)`, 'm'));
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

  it('npm run manifest:slack fills every URL from the base URL, or writes the Socket Mode manifest with none', () => {
    const template = read('slack/manifest.json').toString('utf8');
    const out = slackManifest(template, { baseUrl: 'https://bluedesk.force.police.uk/', socketMode: false });
    if (!('manifest' in out)) throw new Error(out.problem);
    const urls = [...out.manifest.matchAll(/"(?:url|request_url)": "([^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBe(Object.keys(SLACK_COMMANDS).length + 2);
    expect(new Set(urls)).toEqual(new Set(['https://bluedesk.force.police.uk/slack/events']));
    const socket = JSON.parse((slackManifest(template, { socketMode: true }) as { manifest: string }).manifest);
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(socket)).not.toContain('url');
    expect(slackManifest(template, { baseUrl: 'http://x.police.uk', socketMode: false })).toEqual({ problem: expect.stringContaining('https') });
  });

  it('points events and interactivity at the same endpoint, without socket mode', () => {
    expect(new URL(manifest.settings.event_subscriptions.request_url).pathname).toBe('/slack/events');
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/slack/events');
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('asks only for the scopes Bluedesk uses', () => {
    // channels:read and groups:read: conversations.info, to check the bot is in each configured channel (/routes, start-up).
    // files:write: a surge's chart is uploaded (files.getUploadURLExternal, files.completeUploadExternal) so Slack never fetches it from Bluedesk.
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['app_mentions:read', 'channels:read', 'chat:write', 'commands', 'files:read', 'files:write', 'groups:read', 'im:history', 'users:read']);
    expect(manifest.features.shortcuts.map((s: { callback_id: string }) => s.callback_id)).toEqual([ESCALATE_MESSAGE_SHORTCUT]);
    // member_joined_channel: alerts waiting for a channel go as soon as the bot is added to it.
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'member_joined_channel', 'message.im', 'user_change']);
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
  });
});
