#!/usr/bin/env node
/**
 * `bluedesk [command]`: the one command the compiled build (and the image)
 * ships. With no command, or `start`, it runs the server; the operations
 * commands run from the same tree with plain node, and the offline ones
 * (verify-log, the records commands, dead-letters, migrate, storage:copy)
 * need no bot credentials. `npm run <command>` runs the same code through tsx.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMANDS: Record<string, { file: string; about: string; keepsName?: true }> = {
  start: { file: '../server.ts', about: 'run Bluedesk (the default)' },
  'verify-log': { file: './verify-log.ts', about: 'check the decision log’s hash chain [path] [--against <seq>:<sha256>]' },
  export: { file: './records.ts', about: 'export decision records --as <id> [--from] [--to] [--subject] [--format csv|jsonl]', keepsName: true },
  report: { file: './records.ts', about: 'a printable decision trail --as <id> --subject <id>', keepsName: true },
  sar: { file: './records.ts', about: 'a subject access export --as <id> --person <id|@handle>', keepsName: true },
  retention: { file: './records.ts', about: 'run the retention schedule now --as <id>', keepsName: true },
  'log-head': { file: './records.ts', about: 'publish the decision log’s head now --as <id>', keepsName: true },
  'dead-letters': { file: './records.ts', about: 'list or --replay undelivered messages --as <id>', keepsName: true },
  migrate: { file: './migrate.ts', about: 'bring the PostgreSQL schema up to date' },
  'storage:copy': { file: './storage-copy.ts', about: 'copy DATA_DIR’s lowdb data into an empty PostgreSQL schema' },
  'package:teams': { file: './package-teams.ts', about: 'build the Teams app package (appPackage.zip)' },
  'manifest:slack': { file: './manifest-slack.ts', about: 'write the Slack app manifest --base-url <https://…> | --socket-mode' },
};

const name = process.argv[2] ?? 'start';
const command = name.startsWith('-') ? COMMANDS.start : COMMANDS[name];
if (!command || name === 'help' || name === '--help') {
  const known = command || name === 'help' || name === '--help';
  process.stderr.write([
    ...(known ? [] : [`bluedesk: no command "${name}".`]),
    'Usage: bluedesk [command] [options]',
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(14)} ${c.about}`),
    '',
  ].join('\n'));
  process.exitCode = known ? 0 : 2;
} else {
  // Each command reads its own arguments; the records commands take their name as the first.
  if (process.argv[2] && !name.startsWith('-') && !command.keepsName) process.argv.splice(2, 1);
  // As if run directly (some commands check that they are the script run): .ts under tsx, .js when compiled.
  process.argv[1] = fileURLToPath(new URL(command.file.replace(/\.ts$/, extname(fileURLToPath(import.meta.url))), import.meta.url));
  await import(command.file);
}
