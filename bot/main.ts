import { join } from 'node:path';
import { createSlackSide } from '../adapters/slack/app.ts';
import { createTeamsSide } from '../adapters/teams/endpoint.ts';
import { startHttpServer } from '../adapters/http/server.ts';
import { JsonlDecisionLog } from '../data/jsonl-decision-log.ts';
import { LowdbStateStore } from '../data/state-store.ts';
import { DialogEngine } from '../dialogs/engine.ts';
import { escalationIntakeDialog } from '../dialogs/escalation-intake.ts';
import { Alerts } from './app/alerts.ts';
import { BackgroundTasks } from './app/background.ts';
import { Bluedesk } from './app/bluedesk.ts';
import type { ChannelTarget } from './app/gateway.ts';
import { SeenEvents } from './app/seen-events.ts';
import type { ForceConfig } from './config/schema.ts';
import type { Settings } from './config/settings.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { Escalations } from './domain/escalations.ts';
import { Directory } from './domain/people.ts';
import { jsonLogger, type Logger } from './log.ts';
import { emptyState } from './state.ts';

/** A running Bluedesk. */
export interface RunningBluedesk {
  url: string;
  port: number;
  decisionLogPath: string;
  /** Resolves when background work (card posts and updates) started so far is done. */
  idle(): Promise<void>;
  /** Drains requests and background work, then flushes storage. */
  stop(): Promise<void>;
}

/** Everything Bluedesk needs to start. */
export interface StartOptions {
  settings: Settings;
  config: ForceConfig;
  clock?: Clock;
  log?: Logger;
  host?: string;
}

/** The composition root: the only place storage, domain, adapters and server meet. */
export async function startBluedesk({ settings, config, clock = systemClock, log = jsonLogger(), host }: StartOptions): Promise<RunningBluedesk> {
  const store = await LowdbStateStore.open(join(settings.dataDir, 'state.json'), emptyState);
  const decisionLogPath = join(settings.dataDir, 'decisions.jsonl');
  const decisions = await JsonlDecisionLog.open(decisionLogPath, clock, (m) => log.warn(m));
  const tasks = new BackgroundTasks(log);
  const directory = new Directory(config.people, config.platforms.teams.tenantIds, config.platforms.slack.teamIds);
  const escalations = new Escalations(store, decisions, clock);
  const areaNames = new Map(config.areas.map((a) => [a.id, a.name]));
  const targets: ChannelTarget[] = [
    ...config.channels.escalations.teams.map((t) => ({ platform: 'teams' as const, ...t })),
    ...config.channels.escalations.slack.map((t) => ({ platform: 'slack' as const, ...t })),
  ];
  const alerts = new Alerts(escalations, targets, (id) => areaNames.get(id) ?? id, log);
  const dialogs = new DialogEngine(store, [escalationIntakeDialog(config.areas)], clock);
  const app = new Bluedesk({ directory, escalations, dialogs, alerts, log: decisions, tasks, accessHelp: config.force.accessHelp });

  const teams = createTeamsSide(settings.teams.botFramework, app, store, clock, log);
  alerts.addGateway(teams.gateway);
  const slack = settings.slack ? await createSlackSide(settings.slack, app, new SeenEvents(store, clock), log) : undefined;
  if (slack) alerts.addGateway(slack.gateway);

  const http = await startHttpServer(
    { teams: teams.handle, ...(slack ? { slack: slack.listener } : {}), healthy: () => store.checkWritable() },
    settings.port,
    log,
    host,
  );
  log.info('bluedesk started', {
    url: http.url, force: config.force.name, teams: settings.teams.anonymous ? 'anonymous (local only)' : 'authenticated', slack: slack ? 'on' : 'off',
  });

  return {
    url: http.url,
    port: http.port,
    decisionLogPath,
    idle: () => tasks.drain(),
    async stop() {
      await http.close();
      await tasks.drain();
      await store.flush();
      await decisions.close();
    },
  };
}
