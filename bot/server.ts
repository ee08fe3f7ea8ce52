#!/usr/bin/env node
import { ServiceUnavailable, STARTUP_EXIT_CODE } from '../data/data-dir.ts';
import { loadForceConfig } from './config/load-config.ts';
import { readSettings } from './config/settings.ts';
import { loadEnvFile } from './config/env-file.ts';
import { describeError, jsonLogger, LOG_LEVELS, routeConsole } from './log.ts';
import { startBluedesk } from './main.ts';

/** Command-line entry: read settings and config, start, and drain on SIGTERM. */
async function main(): Promise<void> {
  let envFile: string | undefined;
  try {
    envFile = loadEnvFile();
  } catch (err) {
    cannotStart(err);
  }
  const level = process.env.LOG_LEVEL?.trim() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) cannotStart(new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${level}"`));
  const log = jsonLogger({ level: level as (typeof LOG_LEVELS)[number] });
  routeConsole(log);
  let settings;
  let config;
  try {
    settings = readSettings();
    config = loadForceConfig(settings.configPath);
  } catch (err) {
    cannotStart(err);
  }
  // Signals are handled from the first moment: one that arrives while starting stops it as soon as it has started.
  let running: Awaited<ReturnType<typeof startBluedesk>> | undefined;
  let stopping = false;
  let requested: { signal: string; code: number } | undefined;
  const stop = async (signal: string, code = 0) => {
    if (!running) {
      requested ??= { signal, code };
      return;
    }
    if (stopping) return;
    stopping = true;
    log.info('stopping: draining requests and flushing storage', { signal });
    try {
      await running.stop();
      process.exit(code);
    } catch (err) {
      log.error('unclean stop', { error: describeError(err) });
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  if (envFile) log.info('settings read from an env file as well as the environment', { file: envFile });
  try {
    running = await startBluedesk({ settings, config, log });
  } catch (err) {
    cannotStart(err);
  }
  if (settings.teams.anonymous) {
    const widened = running.host !== '127.0.0.1' && running.host !== '::1' && running.host !== 'localhost';
    process.stderr.write([
      '',
      '**********************************************************************',
      '*  WARNING: Teams is running in ANONYMOUS LOCAL MODE.                *',
      '*  No MicrosoftAppId is set, so /api/messages accepts requests       *',
      '*  from anyone without authentication. For local development only.   *',
      '*  Set MicrosoftAppId and MicrosoftAppPassword for real use.         *',
      widened
        ? `*  HOST=${running.host} WIDENS IT: other machines can reach it now.`.padEnd(69) + '*'
        : `*  Listening on ${running.host} only: other machines cannot reach it.`.padEnd(69) + '*',
      '**********************************************************************',
      '',
      `Bluedesk is running at ${running.url}. Next: try it as a Teams user.`,
      '  In another terminal:  npm run playground            (you are Alex Wilber)',
      '                        npm run playground -- --as megan.bowen   (someone else: lists who)',
      `  Then open:            http://localhost:${process.env.PLAYGROUND_PORT || 56150}`,
      '',
    ].join('\n') + '\n');
  }
  if (requested) void stop(requested.signal, requested.code);
  // A stray failure in a library callback is logged and the bot keeps serving (every change is
  // already durable or refused); a run of them means something is systematically wrong, so it
  // drains and stops for the service manager to restart it.
  const recent: number[] = [];
  const fault = (kind: string) => (err: unknown) => {
    log.error(`${kind}: logged, still serving`, { error: describeError(err) });
    const now = Date.now();
    recent.push(now);
    while (recent.length && now - recent[0]! > 60_000) recent.shift();
    if (recent.length > 5) void stop(`${kind} (more than 5 in a minute)`, 1);
  };
  process.on('unhandledRejection', fault('unhandled rejection'));
  process.on('uncaughtException', fault('uncaught exception'));
}

/** Every start-up failure ends the same way: what is wrong and what to do, and one exit code. */
function cannotStart(err: unknown): never {
  process.stderr.write(`Bluedesk cannot start.\n${(err as Error).message ?? describeError(err)}\n`);
  // 78 for what a restart cannot fix (a setting, the config, DATA_DIR); 69 for a database still unreachable after the wait.
  process.exit(err instanceof ServiceUnavailable ? err.exitCode : STARTUP_EXIT_CODE);
}

main().catch((err) => {
  process.stderr.write(`Bluedesk stopped: ${describeError(err)}\n`);
  process.exit(1);
});
