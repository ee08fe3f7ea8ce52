import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { loadEnvFile } from '../config/env-file.ts';

/**
 * `npm run package:teams [-- --out appPackage.zip]`: fills the Teams
 * manifest's placeholders (the Teams Toolkit names: `${{TEAMS_APP_ID}}`,
 * the app's own id, and `${{BOT_ID}}`, the Azure Bot's Microsoft App ID)
 * from the environment or `.env`, and writes the app package to upload:
 * manifest.json and both icons at the zip's root.
 */
const MANIFEST_DIR = fileURLToPath(new URL('../../manifest/teams/', import.meta.url));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const PLACEHOLDERS = ['TEAMS_APP_ID', 'BOT_ID'] as const;

/** The manifest with its placeholders filled, or why it cannot be. */
export function fillManifest(template: string, env: NodeJS.ProcessEnv): { manifest: string } | { problems: string[] } {
  const problems: string[] = [];
  let text = template;
  for (const name of PLACEHOLDERS) {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is not set${name === 'BOT_ID' ? ' (the Azure Bot’s Microsoft App ID, as MicrosoftAppId)' : ' (a GUID of your choosing, kept for the app’s whole life: generate one once with `node -e "console.log(crypto.randomUUID())"`)'}.`);
    else if (!GUID.test(value)) problems.push(`${name} must be a GUID, not "${value}".`);
    else text = text.split(`\${{${name}}}`).join(value.toLowerCase());
  }
  const left = text.match(/\$\{\{[A-Z_]+\}\}/g);
  if (!problems.length && left) problems.push(`The manifest has placeholders this script does not fill: ${[...new Set(left)].join(', ')}.`);
  return problems.length ? { problems } : { manifest: text };
}

/** The app package: the filled manifest and both icons, at the zip's root. */
export async function teamsPackage(env: NodeJS.ProcessEnv): Promise<{ zip: Buffer } | { problems: string[] }> {
  const filled = fillManifest(await readFile(resolve(MANIFEST_DIR, 'manifest.json'), 'utf8'), env);
  if ('problems' in filled) return filled;
  const zip = new JSZip();
  // A fixed date keeps the package byte-for-byte the same for the same inputs.
  const date = new Date('2026-01-01T00:00:00Z');
  zip.file('manifest.json', filled.manifest, { date });
  for (const icon of ['color.png', 'outline.png']) zip.file(icon, await readFile(resolve(MANIFEST_DIR, icon)), { date });
  return { zip: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  loadEnvFile();
  const outArg = process.argv.indexOf('--out');
  const out = resolve(outArg > 0 && process.argv[outArg + 1] ? process.argv[outArg + 1]! : 'appPackage.zip');
  const built = await teamsPackage(process.env);
  if ('problems' in built) {
    process.stderr.write(`Cannot build the Teams app package:\n${built.problems.map((p) => `  - ${p}`).join('\n')}\nSet them in the environment or in .env (see .env.example).\n`);
    process.exitCode = 1;
  } else {
    await writeFile(out, built.zip);
    process.stdout.write(`Wrote ${out}: upload it in the Teams admin center (Manage apps > Upload new app), or with Teams Toolkit.\n`);
  }
}
