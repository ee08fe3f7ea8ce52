import { cp, readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run build`, second half: the compiled code reads some files beside
 * itself at run time (card templates, the example config and its schema,
 * the OpenAPI document, the PostgreSQL migrations, the app manifests), so they are copied into the
 * build, keeping their places. Run from `<outDir>/bot/cli/` with the project as the working directory.
 */
const dist = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const root = process.cwd();
const FOLDERS = ['bot', 'cards', 'dialogs', 'adapters', 'data'];

async function* jsonFiles(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'spdy-unused') yield* jsonFiles(path);
    else if (e.isFile() && (e.name.endsWith('.json') || e.name.endsWith('.sql'))) yield path;
  }
}

let copied = 0;
for (const folder of FOLDERS) {
  for await (const file of jsonFiles(join(root, folder))) {
    await cp(file, join(dist, relative(root, file)));
    copied += 1;
  }
}
// The app manifests and icons, which `bluedesk package:teams` and `bluedesk manifest:slack` read.
await cp(join(root, 'manifest'), join(dist, 'manifest'), { recursive: true });
copied += (await readdir(join(root, 'manifest'), { recursive: true })).length;
process.stdout.write(`copied ${copied} run-time file(s) into ${relative(root, dist) || '.'}\n`);
