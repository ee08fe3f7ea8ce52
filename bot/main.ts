import { createSlackSide } from '../adapters/slack/app.ts';
import { createTeamsSide } from '../adapters/teams/endpoint.ts';
import { startHttpServer } from '../adapters/http/server.ts';
import { StartupError } from '../data/data-dir.ts';
import { openStorage } from './open-storage.ts';
import { DialogEngine } from '../dialogs/engine.ts';
import { escalationIntakeDialog } from '../dialogs/escalation-intake.ts';
import { recordDecisionDialog } from '../dialogs/record-decision.ts';
import { escalationStepDialogs } from '../dialogs/escalation-steps.ts';
import { intakeEndpoint, intakeSourcesFrom } from '../adapters/http/intake-endpoint.ts';
import { OPENAPI } from '../adapters/http/openapi.ts';
import { officialAccountsEndpoint } from '../adapters/http/official-accounts.ts';
import { accountRequestDialog } from '../dialogs/account-request.ts';
import { accountStepDialogs } from '../dialogs/account-steps.ts';
import { AccountApprovals } from './app/account-approvals.ts';
import { AccountFlows } from './app/account-flows.ts';
import { AccountHousekeeping } from './app/account-housekeeping.ts';
import { AccountViews } from './app/account-views.ts';
import { CasePublisher } from './app/case-publisher.ts';
import { ImpersonationFlows } from './app/impersonation-flows.ts';
import { publicList } from './app/public-list.ts';
import { accountDomain } from './domain/account-domain.ts';
import { Alerts, ESCALATION_KIND } from './app/alerts.ts';
import { Delivery } from './app/delivery.ts';
import { IntakeApi } from './app/intake.ts';
import { CardActions } from './app/card-actions.ts';
import { Destinations } from './app/destinations.ts';
import { Raising } from './app/raising.ts';
import { alignTimers, Sla } from './app/sla.ts';
import { Views } from './app/views.ts';
import { allowedActions } from './domain/policy.ts';
import { ROLE_LABELS } from './domain/roles.ts';
import { BackgroundTasks } from './app/background.ts';
import { healthReport } from './app/health.ts';
import { ChartFiles } from './app/chart-files.ts';
import { Bluedesk } from './app/bluedesk.ts';
import { SeenEvents } from './app/seen-events.ts';
import type { ForceConfig } from './config/schema.ts';
import type { Settings } from './config/settings.ts';
import { systemClock, type Clock, type TransportClock } from './domain/clock.ts';
import { Escalations } from './domain/escalations.ts';
import { Directory } from './domain/people.ts';
import { describeError, jsonLogger, type Logger } from './log.ts';
import type { BluedeskState } from './state.ts';
import { Checkpoint, CheckpointedLog } from './domain/checkpoint.ts';
import { replayLog } from './app/replay.ts';
import { DeliveryFallback } from './app/fallback.ts';
import { logUnreachableRoutes, RouteReport } from './app/routes.ts';
import { Suspensions } from './app/suspensions.ts';
import { leaverDomain } from './wire-leavers.ts';
import { surgeDomain } from './wire-surges.ts';
import { recordsDomain } from './wire-records.ts';
import { appealDomain } from './wire-appeals.ts';
import { RequestsInbox } from './app/records/requests-inbox.ts';
import { MeteredLog, Metrics } from './app/metrics.ts';
import { startAdmin } from './wire-admin.ts';
import { Archiving } from './app/archiving.ts';
import { SharedRole } from './wire-shared.ts';
import type { Account, AccountRequest, AccountsState, ImpersonationCase } from './domain/account-types.ts';
import { SEVERITIES, type Escalation } from './domain/escalation.ts';
import type { Tracked } from './domain/record-keeper.ts';

/** A running Bluedesk. */
export interface RunningBluedesk {
  url: string;
  port: number;
  /** The address the server listens on. */
  host: string;
  decisionLogPath: string;
  /** The admin port's address (/metrics, /livez, /readyz), unless ADMIN_PORT=off. */
  adminUrl?: string;
  /** Resolves when background work is done and the outbox has nothing due within `horizonMs` (default 15 s: a retry after a short backoff still counts). */
  idle(horizonMs?: number): Promise<void>;
  /** Fires the SLA timers and register reminders due by the injected clock (also runs every 15 s by itself). */
  tick(): Promise<number>;
  /** Drains requests and background work, then flushes storage. */
  stop(): Promise<void>;
}

/** Everything Bluedesk needs to start. */
export interface StartOptions {
  settings: Settings;
  config: ForceConfig;
  clock?: Clock;
  /** Transport time for delivery's pacing and backoff: real time, unless a test runs it faster. */
  transport?: TransportClock;
  log?: Logger;
  host?: string;
}

/** The composition root: the only place storage, domain, adapters and server meet. */
export async function startBluedesk({ settings, config, clock = systemClock, transport, log = jsonLogger(), host }: StartOptions): Promise<RunningBluedesk> {
  const { unlock, store, sides, rawLog, decisionLogPath, archives, shared, ...storage } = await openStorage(settings, clock, log);
  // The decision log is the write-ahead log, state its checkpoint (bot/domain/checkpoint.ts); metrics read their gauges at each scrape.
  const metrics: Metrics = new Metrics({
    outbox: () => delivery.outbox.stats(),
    slackState: () => (slack ? slack.status.health.state : 'off'),
    dialogsInProgress: () => Object.values(sides.dialogs.read().dialogs).filter((d) => d.status === 'open').length,
    stateBytes: () => storage.bytes(), ...(shared ? { storageWrites: shared.onWrite } : {}),
  });
  const decisions = new CheckpointedLog(new MeteredLog(rawLog, metrics), new Checkpoint());
  const tasks = new BackgroundTasks(log);
  // Kept pictures (surge charts), which the platforms' adapters put in cards their own way.
  const charts = new ChartFiles(settings.dataDir);
  const directory = new Directory(config.people, config.platforms.teams.tenantIds, config.platforms.slack.teamIds);
  const destinations = new Destinations(config.channels, directory);
  const delivery = new Delivery({ destinations, directory, store, clock, log, settings: config.delivery, onFailure: (platform, code) => metrics.platformError(platform, code), onDead: (dead) => metrics.deadLettered(dead.platform), ...(transport ? { transport } : {}) });
  const { outbox } = delivery;
  let fallbackRules: DeliveryFallback | undefined; // the fallback's rule for telling the raiser; the fallback itself is built below
  // Messages written with an escalation's change: the raiser of an alert that reached no one, and those asked to take one whose owner was suspended.
  const slaProfiles = { config: config.sla, clock, ...(config.surge?.sla ? { surgeProfile: config.surge.sla } : {}) };
  const escalations = new Escalations(store, decisions, clock, outbox.effects<Escalation, BluedeskState>(ESCALATION_KIND, {
    notifyFor: (e, entry) => fallbackRules?.notifyFor(e, entry) ?? Suspensions.notifyFor(e, entry),
    alsoChanged: (s, e) => alignTimers(slaProfiles, s, e), // the SLA timers, in the same write as each change
  }), archives.escalation);
  const areaNames = new Map(config.areas.map((a) => [a.id, a.name]));
  const tierName = (tier: number) => config.sla?.ladder[tier - 1]?.name ?? `tier ${tier}`;
  const alerts = new Alerts(outbox, { area: (id) => areaNames.get(id) ?? id, tier: tierName });
  outbox.register(ESCALATION_KIND, {
    collection: (s) => (s as BluedeskState).escalations, view: (e, to) => alerts.view(e as Escalation, to.name),
    showsDelivery: true, urgent: (e) => ['critical', 'high'].includes((e as Escalation).severity), rank: (e) => SEVERITIES.indexOf((e as Escalation).severity),
  });
  const sla = new Sla({ ...slaProfiles, store, escalations, delivery, directory, log: decisions, logger: log });
  const fallback = new DeliveryFallback({ config: config.delivery, escalations, clock, callable: (ids) => directory.recipients(ids).map((p) => p.id) });
  fallbackRules = fallback;
  // Which surge a new escalation falls under is the surge operations' rule; they are built below.
  let surgeParts: ReturnType<typeof surgeDomain>;
  const raising = new Raising({ config, escalations, alerts, clock, surge: () => surgeParts?.now() });
  const assignees = () => directory.all().filter((p) => directory.reachable(p.id) && allowedActions(p).includes('escalation.decide')).map((p) => ({ value: p.id, title: `${p.name} (${p.roles.map((r) => ROLE_LABELS[r]).join(', ')})` }));
  // Where each account card goes after a change is AccountFlows' rule; the flows are built below.
  let accountRules: AccountFlows | undefined;
  const accountDomainImpl = accountDomain(store, decisions, clock, (kind) => outbox.effects<Tracked, AccountsState>(kind, {
    publishFor: (r, action) => accountRules?.publishFor(kind, r, action),
    notifyFor: (r, entry) => accountRules?.notifyFor(kind, r, entry),
  }), archives['account-request']);
  const people = directory.all().map((p) => ({ value: p.id, title: p.name }));
  const accountDialogs = config.accounts ? [
    accountRequestDialog({
      naming: config.accounts.naming, emailDomains: config.emailDomains, areas: config.areas, people,
      investigationsProcess: config.accounts.investigationsProcess,
      handleTaken: (handle, platform) => !!accountDomainImpl.accounts.byHandle(handle, platform),
    }),
    ...accountStepDialogs((handle) => !!accountDomainImpl.accounts.byHandle(handle)),
  ] : [];
  const leaverParts = leaverDomain({ store, log: decisions, clock, directory, delivery, accounts: config.accounts ? accountDomainImpl : undefined });
  surgeParts = surgeDomain({ config, store, log: decisions, clock, directory, delivery, register: leaverParts.register, tasks, charts, publicUrl: settings.publicUrl });
  const appealParts = appealDomain({ config, store, log: decisions, clock, directory, delivery, register: leaverParts.register });
  const dialogs = new DialogEngine(sides.dialogs, [...appealParts.dialogs, escalationIntakeDialog(config.areas), recordDecisionDialog, ...escalationStepDialogs(assignees), ...accountDialogs, ...leaverParts.dialogs, ...(surgeParts?.dialogs ?? [])], clock);
  const seen = new SeenEvents(sides.seen, clock);
  const leavers = leaverParts.wire({ dialogs, escalations, destinations, seen, config: config.leavers });
  const surge = surgeParts?.wire({ dialogs, escalations });
  const appeals = appealParts.wire({ dialogs });
  const records = recordsDomain({ config, store, log: decisions, clock, directory, logger: log, delivery, archives });
  const inbox = new RequestsInbox({ dataDir: settings.dataDir, ops: records.ops, logger: log });
  const cardActions = new CardActions({ escalations, dialogs, alerts, sla, directory, log: decisions });
  const views = new Views({
    escalations, log: decisions, clock, coverage: config.coverage,
    tierRoles: (tier) => (config.sla?.ladder[tier - 1]?.targets ?? []).flatMap((t) => ('role' in t ? [t.role] : [])),
  });
  const intakeSources = intakeSourcesFrom(config.intake?.sources ?? [], settings.intakeSecrets);
  const intake = new IntakeApi({ raising, store, areas: config.areas, now: () => clock.now() });
  const accountNames = { person: (id: string) => directory.get(id)?.name ?? id, area: (id: string) => areaNames.get(id) ?? id };
  const publisher = new CasePublisher({ delivery });
  const accounts = config.accounts ? {
    flows: new AccountFlows({ domain: accountDomainImpl, config: config.accounts, dialogs, publisher, names: accountNames, log: decisions, clock }),
    impersonation: new ImpersonationFlows({ domain: accountDomainImpl, config: config.accounts, dialogs, publisher }),
    views: new AccountViews({ domain: accountDomainImpl, names: accountNames, areas: config.areas, log: decisions }),
    approvals: new AccountApprovals({ domain: accountDomainImpl, names: accountNames }),
  } : undefined;
  if (accounts) {
    const { flows, impersonation } = accounts;
    accountRules = flows;
    outbox.register('account-request', { collection: (s) => (s as BluedeskState).accountRequests, view: (r) => flows.requestView(r as AccountRequest) });
    outbox.register('account', { collection: (s) => (s as BluedeskState).accounts, view: (a) => flows.accountView(a as Account) });
    outbox.register('impersonation', { collection: (s) => (s as BluedeskState).impersonations, view: (c) => impersonation.view(c as ImpersonationCase) });
  }
  const housekeeping = accounts && config.accounts
    ? new AccountHousekeeping({ domain: accountDomainImpl, config: config.accounts, flows: accounts.flows, impersonation: accounts.impersonation, publisher, store, log: decisions, clock })
    : undefined;
  const archiving = new Archiving({ escalations, requests: accountDomainImpl.requests, store, clock, surgeRunning: (id) => surgeParts?.surges.get(id)?.status === 'active' });
  const role = new SharedRole(shared, delivery.worker, log);
  const tick = () => role.ifLeader(async () => (await archiving.tick()) + (await sla.tick()) + (await fallback.tick()) + (await delivery.worker.sweep()) + (housekeeping ? await housekeeping.tick() : 0) + (await leavers.timers.tick()) + (surge ? await surge.ops.tick() : 0) + (await appeals.timers.tick()) + (await records.tick()));
  const routes = new RouteReport({ config, destinations, directory, gateway: (p) => delivery.gateway(p) });
  const app = new Bluedesk({
    directory, dialogs, raising, cardActions, views, log: decisions, accessHelp: config.force.accessHelp, routes, leavers, records: records.flows, appeals, ...(surge ? { surge } : {}),
    ...(config.delivery.deskPhone ? { deskPhone: config.delivery.deskPhone } : {}), ...(accounts ? { accounts } : {}),
  });

  const teams = createTeamsSide(settings.teams.botFramework, app, sides.conversations, clock, log, () => void delivery.worker.wake('teams').catch(() => undefined), charts);
  delivery.addGateway(teams.gateway);
  // Set once the start-up route check has run; Slack may connect before or after it.
  let routesChecked = false;
  const slack = settings.slack
    ? createSlackSide(settings.slack, app, seen, tasks, log, {
      onJoinedChannel: () => void delivery.worker.wake('slack').catch(() => undefined),
      // Slack answered: check its places, and send what waited for it.
      onConnected: () => tasks.run('slack connected', async () => {
        await delivery.worker.wake('slack');
        if (routesChecked) await logUnreachableRoutes(routes, log);
      }),
    }, charts)
    : undefined;
  if (slack) delivery.addGateway(slack.gateway);
  // Records a crash left out of state are applied again before anything is served.
  const replayed = await replayLog(decisions, store, outbox);
  if (replayed.length) log.warn('recovered decisions from the log that state did not have yet (the last run stopped without saving them)', { records: replayed.length });
  // Timers are derived from escalations and written after them: bring every open one's in line.
  await sla.syncAll(escalations.all().filter((e) => e.status !== 'closed'));
  // So is moving work off people a PSD-related case suspended.
  await leavers.reconcile();
  // And redacting the log for a disposal a crash cut short.
  await records.retention?.reconcile();
  if (!config.records.retention) log.warn('no retention schedule (records.retention in the force config): nothing will ever be disposed of; ask the information manager to set one');
  // And posting a stood-down surge's summary (drawn in the background).
  surge?.ops.reconcile();
  // Whatever a previous run left in the outbox goes now (from the instance that runs delivery, when storage is shared).
  await role.start(() => tasks.run('timers catch-up', async () => { await tick(); }));
  // Socket Mode connects out to Slack; over HTTP this does nothing.
  slack?.start();

  // The detail is for operators, on the admin port; the public /healthz says only whether storage takes writes.
  const health = () => healthReport({ storageWritable: () => storage.writable(), outbox: () => delivery.outbox.stats(), slack: () => (slack ? slack.status.health : { state: 'off' }) });
  const publicHealth = async () => {
    const ok = await storage.writable();
    return { ok, detail: { status: ok ? 'ok' : 'storage not writable' } };
  };
  // Local anonymous mode answers unauthenticated requests, so it listens on loopback only unless HOST says otherwise.
  const listenOn = host ?? settings.host ?? (settings.teams.anonymous ? '127.0.0.1' : '0.0.0.0');
  const http = await startHttpServer(
    {
      teams: role.current(teams.handle),
      ...(slack?.listener ? { slack: role.current(slack.listener) } : {}),
      health: publicHealth,
      ...(intakeSources.length ? { intake: intakeEndpoint(intake, intakeSources, log) } : {}), // no catch-up read first: a raise reads what others wrote inside its own transaction, key included
      openapi: OPENAPI,
      ...(surge ? { surgeChart: (sha: string) => charts.path(sha) } : {}),
      observe: (route, method, status, seconds) => metrics.request(route, method, status, seconds),
      officialAccounts: officialAccountsEndpoint(() => publicList(config.force.name, accountDomainImpl.accounts.all(), accountNames.area)),
    },
    settings.port,
    log,
    listenOn,
  ).catch(async (err) => {
    await decisions.close();
    await unlock();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new StartupError(`PORT ${settings.port} is already in use on ${listenOn}. Stop what is using it, or set PORT to a free port.`);
    if ((err as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') throw new StartupError(`HOST ${listenOn} is not an address of this machine. Set HOST to one of its addresses, or leave it unset.`);
    throw err;
  });
  const admin = settings.admin ? await startAdmin(settings.admin, metrics, health, { storageWritable: () => storage.writable(), decisionLogOpen: () => rawLog.check() }).catch(async (err) => {
    await http.close();
    await decisions.close();
    await unlock();
    throw err;
  }) : undefined;
  // Each route's places are checked once Slack has had a moment to answer; problems are logged.
  tasks.run('route check', async () => {
    if (slack) await Promise.race([slack.status.connected(), new Promise((r) => setTimeout(r, 3000).unref())]);
    await logUnreachableRoutes(routes, log);
    routesChecked = true;
  });
  // Timers that fell due while the bot was down fire now; then every 15 s.
  tasks.run('timers catch-up', async () => { await tick(); });
  // The records command line's requests, while this server holds DATA_DIR.
  await inbox.start();
  const timer = setInterval(() => void tick().catch((err) => log.error('timer tick failed', { error: describeError(err) })), 15_000).unref();
  let stopping: Promise<void> | undefined;
  log.info('bluedesk started', {
    url: http.url, listen: listenOn === '0.0.0.0' || listenOn === '::' ? `every interface (${listenOn}), port ${http.port}` : `${listenOn} only, port ${http.port}`, admin: admin?.url ?? 'off', force: config.force.name, teams: settings.teams.anonymous ? 'anonymous (local only)' : 'authenticated', slack: slack ? (settings.slack?.appToken ? 'socket mode' : 'http') : 'off',
  });

  return {
    url: http.url,
    port: http.port,
    host: listenOn,
    decisionLogPath,
    ...(admin ? { adminUrl: admin.url } : {}),
    async idle(horizonMs?: number) {
      await tasks.drain();
      await delivery.worker.idle(horizonMs);
      await tasks.drain();
    },
    tick,
    // Stopping twice (a test, or a signal during shutdown) waits for the one stop.
    stop: () => (stopping ??= (async () => {
      clearInterval(timer);
      await inbox.stop();
      await admin?.close();
      await http.close();
      await sla.stop();
      await tasks.drain();
      await delivery.worker.stop();
      await slack?.stop();
      await store.update((s) => decisions.checkpoint.advance(s));
      await storage.flush();
      await decisions.close();
      await unlock();
    })()),
  };
}
