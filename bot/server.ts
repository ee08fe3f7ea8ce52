import { loadForceConfig } from './config/load-config.ts';
import { readSettings } from './config/settings.ts';
import { describeError, jsonLogger } from './log.ts';
import { startBluedesk } from './main.ts';

/** Command-line entry: read settings and config, start, and drain on SIGTERM. */
async function main(): Promise<void> {
  const log = jsonLogger();
  let settings;
  let config;
  try {
    settings = readSettings();
    config = loadForceConfig(settings.configPath);
  } catch (err) {
    process.stderr.write(`Bluedesk cannot start.\n${(err as Error).message}\n`);
    process.exit(78);
  }
  if (settings.teams.anonymous) {
    process.stderr.write([
      '',
      '**********************************************************************',
      '*  WARNING: Teams is running in ANONYMOUS LOCAL MODE.                *',
      '*  No MicrosoftAppId is set, so /api/messages accepts requests       *',
      '*  from anyone without authentication. For local development only.   *',
      '*  Set MicrosoftAppId and MicrosoftAppPassword for real use.         *',
      '**********************************************************************',
      '',
    ].join('\n') + '\n');
  }
  const running = await startBluedesk({ settings, config, log });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping: draining requests and flushing storage', { signal });
    try {
      await running.stop();
      process.exit(0);
    } catch (err) {
      log.error('unclean stop', { error: describeError(err) });
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Bluedesk stopped: ${describeError(err)}\n`);
  process.exit(1);
});
