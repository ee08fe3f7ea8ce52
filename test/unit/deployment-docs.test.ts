import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);

/** The shell block that follows a `<!-- docs-check:<name> -->` marker in the deployment guide. */
async function documented(name: string): Promise<string> {
  const guide = await readFile(new URL('docs/DEPLOYMENT.md', root), 'utf8');
  const block = new RegExp(`<!-- docs-check:${name} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(guide);
  if (!block) throw new Error(`docs/DEPLOYMENT.md has no docs-check:${name} block`);
  return block[1]!;
}

/**
 * Following only docs/DEPLOYMENT.md: its commands, run as written, give a
 * Teams app package that validates and a Slack manifest with the right URLs.
 */
describe('the deployment guide’s commands', () => {
  afterAll(async () => {
    await rm(new URL('appPackage.zip', root), { force: true });
    await rm(new URL('slack-manifest.json', root), { force: true });
  });

  it('build a Teams app package that validates against Microsoft’s schema', async () => {
    const env = { ...process.env, ENV_FILE: '', TEAMS_APP_ID: '6f0b6a2e-3c5d-4e1f-8a9b-0c1d2e3f4a5b', BOT_ID: '0b8c2f1e-4a5d-4e6f-9a7b-1c2d3e4f5a6b' };
    const out = await run('bash', ['-euo', 'pipefail', '-c', await documented('teams')], { cwd: root, env, timeout: 60_000 });
    expect(out.stdout).toMatch(/^[0-9a-f-]{36}$/m);
    const zip = await JSZip.loadAsync(await readFile(new URL('appPackage.zip', root)));
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    const schema = JSON.parse(await readFile(new URL(`node_modules/@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`, root), 'utf8'));
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    expect([manifest.id, manifest.bots[0].botId]).toEqual([env.TEAMS_APP_ID, env.BOT_ID]);
  }, 90_000);

  it('write a Slack manifest whose every URL is the deployment’s /slack/events', async () => {
    await run('bash', ['-euo', 'pipefail', '-c', await documented('slack')], { cwd: root, env: { ...process.env, ENV_FILE: '' }, timeout: 60_000 });
    const manifest = JSON.parse(await readFile(new URL('slack-manifest.json', root), 'utf8'));
    const urls = [...JSON.stringify(manifest).matchAll(/"(?:url|request_url)":"([^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(10);
    expect(new Set(urls)).toEqual(new Set(['https://bluedesk.example.police.uk/slack/events']));
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  }, 90_000);
});
