import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import type { DialogEngine } from '../../dialogs/engine.ts';
import { ATTACHMENTS_KEY, ESCALATION_INTAKE, prefillFromText } from '../../dialogs/escalation-intake.ts';
import type { Answers } from '../../dialogs/types.ts';
import type { DecisionLog } from '../domain/decision-log.ts';
import type { Attachment } from '../domain/escalation.ts';
import type { Actor, Directory, PlatformIdentity } from '../domain/people.ts';
import { recordUnknownAccess } from '../domain/refusals.ts';
import type { AccountApprovals } from './account-approvals.ts';
import type { AccountFlows } from './account-flows.ts';
import type { AccountViews } from './account-views.ts';
import type { CardActions } from './card-actions.ts';
import type { ImpersonationFlows } from './impersonation-flows.ts';
import { didYouMean, helpNotice } from './help.ts';
import type { Raising } from './raising.ts';
import type { Reply } from './reply.ts';
import type { RouteReport } from './routes.ts';
import type { Views } from './views.ts';
import type { LeaverFlows } from './leaver-flows.ts';
import type { LeaverSignals } from './leaver-signals.ts';
import type { LeaverViews } from './leaver-views.ts';
import type { SurgeFlows } from './surge-flows.ts';
import { DialogTurns } from './dialog-turns.ts';
import { refuseUnless } from './refusal-reply.ts';
import type { RecordsFlows } from './records/records-flows.ts';
import type { AppealFlows } from './appeal-flows.ts';

/** Most screenshots kept with one escalation. */
export const MAX_ATTACHMENTS = 10;

/** Who is asking: a known person, or a polite refusal (already recorded). */
export type Identified = { ok: true; actor: Actor } | { ok: false; notice: NoticeModel };

/**
 * The platform-neutral application: adapters turn platform payloads into
 * these calls and render the replies natively. Nothing here knows Teams or Slack.
 */
export class Bluedesk {
  constructor(
    private readonly deps: {
      directory: Directory;
      dialogs: DialogEngine;
      raising: Raising;
      cardActions: CardActions;
      views: Views;
      log: DecisionLog;
      accessHelp: string;
      /** The digital desk's phone number, told to a raiser whose urgent alert reached no one. */
      deskPhone?: string;
      /** Official account governance; absent when the force config has no `accounts` section. */
      accounts?: { flows: AccountFlows; impersonation: ImpersonationFlows; views: AccountViews; approvals: AccountApprovals };
      leavers: { flows: LeaverFlows; views: LeaverViews; signals: LeaverSignals };
      /** Surge activation; absent when the force config has no `surge` section. */
      surge?: { flows: SurgeFlows };
      routes: RouteReport;
      /** Decision history and legal holds. */
      records: RecordsFlows;
      appeals: { flows: AppealFlows };
    },
  ) {
    this.turns = new DialogTurns(deps);
  }

  private readonly turns: DialogTurns;

  /** Resolves a platform identity, recording and explaining any refusal. */
  async identify(via: PlatformIdentity, attempted: string): Promise<Identified> {
    const found = this.deps.directory.resolve(via);
    if (found.ok) return { ok: true, actor: { person: found.person, via } };
    await recordUnknownAccess(this.deps.log, via, found.reason, attempted);
    const why = found.reason === 'tenant-not-allowed'
      ? 'Bluedesk only serves the force’s own Microsoft 365 tenant and Slack workspace.'
      : 'You are not yet listed as a Bluedesk user.';
    return { ok: false, notice: notice('warning', 'Sorry, I can’t help you yet', why, this.deps.accessHelp) };
  }

  /** Help; `typed` is a word that was not a command, answered with the nearest one of `commands`. */
  help(actor: Actor, typed?: string, commands: readonly string[] = []): NoticeModel {
    const suggestion = typed ? didYouMean(typed, commands) : undefined;
    return helpNotice(actor.person, typed ? { typed, ...(suggestion ? { suggestion } : {}) } : undefined);
  }

  /** The welcome when someone installs the bot in their personal chat: what they can do, or how to get access. Nothing is recorded: installing is not an attempt to act. */
  welcome(via: PlatformIdentity): NoticeModel {
    const found = this.deps.directory.resolve(via);
    if (found.ok) return helpNotice(found.person, undefined, 'Welcome to Bluedesk');
    return notice('info', 'Welcome to Bluedesk', 'Bluedesk helps the force’s social media teams escalate harmful content and record decisions.', 'You are not yet listed as a Bluedesk user.', this.deps.accessHelp);
  }

  /** `/escalate [url] [text]`: opens the intake dialog, pre-filled, carrying any screenshots identified on the platform. */
  async startEscalation(actor: Actor, text: string, attachments: Attachment[] = []): Promise<Reply> {
    const refused = await refuseUnless(this.deps.log, actor, 'escalation.raise');
    if (refused) return refused;
    const context: Answers = attachments.length ? { [ATTACHMENTS_KEY]: JSON.stringify(attachments.slice(0, MAX_ATTACHMENTS)) } : {};
    return { kind: 'form', form: await this.deps.dialogs.start(ESCALATION_INTAKE, actor.person.id, { ...prefillFromText(text), ...context }) };
  }

  /** A button on a card: an escalation alert, an account request, an account, an impersonation case or a leaver case. */
  async cardAction(actor: Actor, verb: string, subjectId: string): Promise<Reply> {
    if (verb.startsWith('escalation.')) return this.deps.cardActions.handle(actor, verb, subjectId);
    if (verb === 'leaver.start_for') return this.deps.leavers.flows.start(actor, 'leaver', subjectId);
    if (verb.startsWith('surge.')) return this.deps.surge ? this.deps.surge.flows.cardAction(actor, verb, subjectId) : surgeOff();
    if (verb.startsWith('leaver.')) return this.deps.leavers.flows.cardAction(actor, verb, subjectId);
    if (verb.startsWith('appeal.')) return this.deps.appeals.flows.cardAction(actor, verb, subjectId);
    const accounts = this.deps.accounts;
    if (!accounts) return accountsOff();
    if (verb.startsWith('impersonation.')) return accounts.impersonation.cardAction(actor, verb, subjectId);
    return accounts.flows.cardAction(actor, verb, subjectId);
  }

  /** `/account request`, `/account close <handle>`, `/account <handle>` */
  async account(actor: Actor, text: string): Promise<Reply> {
    const accounts = this.deps.accounts;
    if (!accounts) return accountsOff();
    const [word = '', ...rest] = text.trim().split(/\s+/);
    if (word.toLowerCase() === 'request') return accounts.flows.startRequest(actor);
    if (word.toLowerCase() === 'close') return rest.length ? accounts.flows.startClose(actor, rest[0]!) : { kind: 'notice', notice: notice('info', 'Which account?', 'Give its handle, e.g. /account close @ExamplePolNorth.') };
    if (!word) return { kind: 'notice', notice: notice('info', 'Official accounts', '/account request — ask for a new official account', '/account <handle> — one account and its history', '/account REQ-00001 — a request’s card, to decide it', '/account close <handle> — ask to close one', '/accounts — the register', '/approvals — what waits for you') };
    if (/^(REQ|ACC)-\d+$/i.test(word)) return accounts.flows.open(actor, word);
    const refused = await refuseUnless(this.deps.log, actor, 'account.view');
    if (refused) return refused;
    const shown = await accounts.views.show(word);
    return shown ? { kind: 'card', card: { kind: 'record-list', model: shown } } : { kind: 'notice', notice: notice('warning', 'Unknown account', `No account @${word.replace(/^@/, '')} is in the register.`) };
  }

  /** `/approvals`: account requests at a stage this person may decide, closures they may approve, and their accounts awaiting set-up. */
  async approvals(actor: Actor): Promise<Reply> {
    const accounts = this.deps.accounts;
    if (!accounts) return accountsOff();
    const refused = await refuseUnless(this.deps.log, actor, 'account.view');
    if (refused) return refused;
    return { kind: 'card', card: { kind: 'record-list', model: accounts.approvals.list(actor.person) } };
  }

  /** `/accounts [filters]` */
  async accountsList(actor: Actor, text: string): Promise<Reply> {
    if (!this.deps.accounts) return accountsOff();
    const refused = await refuseUnless(this.deps.log, actor, 'account.view');
    if (refused) return refused;
    return { kind: 'card', card: { kind: 'record-list', model: this.deps.accounts.views.list(text) } };
  }

  /** `/leaver [name]` and `/mover [name]` start a case; `/leaver <id>` shows one. */
  async leaver(actor: Actor, kind: 'leaver' | 'mover', text: string): Promise<Reply> {
    const { flows, views } = this.deps.leavers;
    return /^\s*lvr-\d+\s*$/i.test(text) ? views.show(actor, text) : flows.start(actor, kind, text);
  }

  /** `/leavers`: the open cases this person may see. */
  leavers(actor: Actor): Reply {
    return { kind: 'card', card: { kind: 'record-list', model: this.deps.leavers.views.list(actor) } };
  }

  /** `/person <name>` (desk leads, information security, PSD): effective roles, and why. */
  person(actor: Actor, text: string): Promise<Reply> {
    return this.deps.leavers.views.person(actor, text);
  }

  /**
   * A platform says someone left it (Slack deactivated them; Teams removed
   * them from the force's team). Someone the directory knows is offered to
   * information security as a leaver case. Nobody is answered.
   */
  async platformRemoved(via: PlatformIdentity): Promise<void> {
    const found = this.deps.directory.resolve(via);
    if (found.ok && (via.platform === 'slack' || via.platform === 'teams')) await this.deps.leavers.signals.removed(via.platform, found.person);
  }

  /** `/surge`, `/surge status`, `/surge stand-down`. */
  async surge(actor: Actor, text: string): Promise<Reply> {
    return this.deps.surge ? this.deps.surge.flows.command(actor, text) : surgeOff();
  }

  /** `/decisions [search]` or `/decisions <id>`: the decision history, restricted records withheld, the look itself recorded. */
  decisions(actor: Actor, text: string): Promise<Reply> {
    return this.deps.records.decisions(actor, text);
  }

  /** `/hold`: list, place or lift legal holds (information management and PSD). */
  hold(actor: Actor, text: string): Promise<Reply> {
    return this.deps.records.hold(actor, text);
  }

  /** `/appeal` registers a public appeal; `/appeal <id>` shows one; `/appeal closed <id> <why>` has every post taken down. */
  appeal(actor: Actor, text: string): Promise<Reply> {
    return this.deps.appeals.flows.command(actor, text);
  }

  /** `/appeals`: live appeals and those being taken down. */
  appealsList(actor: Actor): Promise<Reply> {
    return this.deps.appeals.flows.list(actor);
  }

  /** `/continuity`: the business continuity plan, at any time. */
  continuity(): Reply {
    return this.deps.surge ? this.deps.surge.flows.continuity() : surgeOff();
  }

  /** `/impersonation` */
  async impersonation(actor: Actor): Promise<Reply> {
    if (!this.deps.accounts) return accountsOff();
    return (await refuseUnless(this.deps.log, actor, 'impersonation.report')) ?? this.deps.accounts.impersonation.start(actor);
  }

  /** A dialog step's answer; see DialogTurns. */
  submitDialog(actor: Actor, sessionId: string, stepId: string, values: Record<string, unknown>): Promise<Reply> {
    return this.turns.submit(actor, sessionId, stepId, values);
  }

  cancelDialog(actor: Actor, sessionId: string): Promise<Reply> {
    return this.turns.cancel(actor, sessionId);
  }

  /** `/escalations` */
  async listEscalations(actor: Actor): Promise<Reply> {
    const refused = await refuseUnless(this.deps.log, actor, 'escalation.view');
    if (refused) return refused;
    return { kind: 'card', card: { kind: 'record-list', model: this.deps.views.list(actor) } };
  }

  /** `/escalation <id>` */
  async timeline(actor: Actor, id: string): Promise<Reply> {
    if (!id.trim()) return { kind: 'notice', notice: notice('info', 'Which escalation?', 'Give its id, e.g. /escalation ESC-00012.') };
    const t = await this.deps.views.timeline(actor, id.trim());
    return t.ok ? { kind: 'card', card: { kind: 'record-list', model: t.model } } : { kind: 'notice', notice: t.notice };
  }

  /** `/routes` (desk leads): each route, its places, and whether each is reachable now. */
  async routes(actor: Actor): Promise<Reply> {
    const refused = await refuseUnless(this.deps.log, actor, 'routes.view');
    if (refused) return refused;
    return { kind: 'card', card: { kind: 'record-list', model: await this.deps.routes.card() } };
  }

  /** `/coverage` */
  coverage(): Reply {
    return { kind: 'notice', notice: this.deps.views.coverage() };
  }
}

function surgeOff(): Reply {
  return { kind: 'notice', notice: notice('info', 'Not set up', 'Surge activation and the continuity plan are not configured for this force (the config’s surge section).') };
}

function accountsOff(): Reply {
  return { kind: 'notice', notice: notice('info', 'Not set up', 'Official account governance is not configured for this force.') };
}
