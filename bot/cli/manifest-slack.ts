import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadEnvFile } from '../config/env-file.ts';

/**
 * `npm run manifest:slack -- --base-url https://bluedesk.example.police.uk [--out file]`
 * (or PUBLIC_URL): the Slack app manifest with every request URL pointing at
 * this deployment's `/slack/events`. With `--socket-mode` (or SLACK_APP_TOKEN
 * set) it is the Socket Mode manifest instead: no request URLs, because Slack
 * never calls in. Paste the output into "Create an app > From a manifest".
 */
const TEMPLATE = fileURLToPath(new URL('../../manifest/slack/manifest.json', import.meta.url));
type Manifest = {
  features: { slash_commands: Array<{ url?: string }> };
  settings: { event_subscriptions: { request_url?: string }; interactivity: { is_enabled: boolean; request_url?: string }; socket_mode_enabled: boolean };
};

/** The manifest for a deployment: its events URL everywhere, or Socket Mode. */
export function slackManifest(template: string, opts: { baseUrl?: string; socketMode: boolean }): { manifest: string } | { problem: string } {
  const m = JSON.parse(template) as Manifest;
  if (opts.socketMode) {
    for (const c of m.features.slash_commands) delete c.url;
    delete m.settings.event_subscriptions.request_url;
    delete m.settings.interactivity.request_url;
    m.settings.socket_mode_enabled = true;
    return { manifest: JSON.stringify(m, null, 2) + '\n' };
  }
  let base: URL;
  try {
    base = new URL(opts.baseUrl ?? '');
  } catch {
    return { problem: 'Give the address Slack reaches Bluedesk at: --base-url https://bluedesk.example.police.uk (or set PUBLIC_URL), or --socket-mode.' };
  }
  if (base.protocol !== 'https:') return { problem: `Slack only calls https addresses, not ${base.protocol}//.` };
  const events = new URL('slack/events', base.href.endsWith('/') ? base.href : `${base.href}/`).href;
  for (const c of m.features.slash_commands) c.url = events;
  m.settings.event_subscriptions.request_url = events;
  m.settings.interactivity.request_url = events;
  m.settings.socket_mode_enabled = false;
  return { manifest: JSON.stringify(m, null, 2) + '\n' };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  loadEnvFile();
  const { values } = parseArgs({ options: { 'base-url': { type: 'string' }, 'socket-mode': { type: 'boolean' }, out: { type: 'string' } } });
  const baseUrl = values['base-url'] ?? process.env.PUBLIC_URL;
  const out = slackManifest(await readFile(TEMPLATE, 'utf8'), { socketMode: values['socket-mode'] ?? !!process.env.SLACK_APP_TOKEN, ...(baseUrl ? { baseUrl } : {}) });
  if ('problem' in out) {
    process.stderr.write(`${out.problem}\n`);
    process.exitCode = 1;
  } else if (values.out) {
    await writeFile(values.out, out.manifest);
    process.stderr.write(`Wrote ${values.out}\n`);
  } else {
    process.stdout.write(out.manifest);
  }
}
