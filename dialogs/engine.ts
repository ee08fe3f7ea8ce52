import { Sweep } from '../data/sweep.ts';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../bot/domain/clock.ts';
import type { DialogFormModel } from '../cards/dialog-form/model.ts';
import type { StateStore } from '../data/state-store.ts';
import { fieldsOf, type Answers, type DialogDefinition, type DialogSession, type DialogState, type FieldDef, type StepDef } from './types.ts';
import { validateField } from './validate.ts';

/** What happened to a submitted step. */
export type SubmitOutcome =
  | { kind: 'invalid'; form: DialogFormModel }
  | { kind: 'next'; form: DialogFormModel }
  /** Every step is answered. The caller records the result, then calls `finish` (or `reopen` on failure). */
  | { kind: 'complete'; session: DialogSession }
  | { kind: 'already-complete'; session: DialogSession }
  | { kind: 'gone'; message: string };

/** Sessions idle this long are treated as abandoned. */
const SESSION_TTL_MS = 24 * 60 * 60 * 1000;
/** How often stale sessions are looked for. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/**
 * Runs every declarative dialog. State lives in the store, so a dialog
 * survives a restart and either platform can resume it.
 */
export class DialogEngine {
  private readonly definitions = new Map<string, DialogDefinition>();
  /** Stale sessions are looked for at most every ten minutes, when a form opens. */
  private readonly sweep: Sweep<DialogState, DialogSession>;

  constructor(
    private readonly store: StateStore<DialogState>,
    definitions: DialogDefinition[],
    private readonly clock: Clock,
  ) {
    for (const d of definitions) this.definitions.set(d.id, d);
    this.sweep = new Sweep(store, (s) => s.dialogs, SWEEP_EVERY_MS);
  }

  /** Opens a new session at the first step, with any prefilled answers. */
  async start(dialogId: string, personId: string, prefill: Answers = {}): Promise<DialogFormModel> {
    const def = this.definition(dialogId);
    const now = this.clock.now().toISOString();
    const first = def.steps[0]!;
    const answers = clean(prefill);
    const session: DialogSession = {
      id: randomUUID(), dialogId, personId, stepId: first.id, answers: { ...clean(first.prefill?.(answers) ?? {}), ...answers }, status: 'open', createdAt: now, updatedAt: now,
    };
    await this.store.update((s) => {
      s.dialogs[session.id] = session;
    });
    // Forget sessions idle for two days: expired, cancelled or long completed; their answers may hold personal data.
    const stale = this.clock.now().getTime() - 2 * SESSION_TTL_MS;
    await this.sweep.run(this.clock.now().getTime(), (old) => Date.parse(old.updatedAt) < stale);
    return this.form(session);
  }

  /** Validates one step's values; moves on, completes, or returns the step with inline errors. */
  async submit(sessionId: string, personId: string, stepId: string, values: Record<string, unknown>): Promise<SubmitOutcome> {
    const found = this.live(sessionId, personId);
    if (!found.ok) return { kind: 'gone', message: found.message };
    const session = found.session;
    if (session.status !== 'open') return { kind: 'already-complete', session };
    const def = this.definition(session.dialogId);
    // A stale step (double click, or an old card) shows where the dialog really is.
    if (stepId !== session.stepId) return { kind: 'next', form: this.form(session) };
    const step = def.steps.find((s) => s.id === stepId)!;
    const now = this.clock.now();
    const fields = fieldsOf(step, session.answers, now);
    const submitted: Answers = {};
    for (const f of fields) submitted[f.id] = typeof values[f.id] === 'string' ? (values[f.id] as string).trim() : '';
    const answered = { ...session.answers, ...submitted };
    const errors: Record<string, string> = {};
    for (const f of fields) {
      const error = validateField(f, submitted[f.id]!, answered, now);
      if (error) errors[f.id] = error;
    }
    if (Object.keys(errors).length > 0) return { kind: 'invalid', form: this.form({ ...session, answers: answered }, errors) };
    const next = nextStep(def, step, answered);
    // The next step starts from values its prefill derives (answers already given win).
    const merged = next?.prefill ? { ...clean(next.prefill(answered)), ...answered } : answered;
    const updated = await this.store.update((s) => {
      const live = s.dialogs[sessionId]!;
      if (live.status !== 'open' || live.stepId !== stepId) return undefined;
      live.answers = merged;
      live.updatedAt = this.clock.now().toISOString();
      if (next) live.stepId = next.id;
      else live.status = 'completing';
      return { ...live };
    });
    if (!updated) return this.submit(sessionId, personId, stepId, values);
    return next ? { kind: 'next', form: this.form(updated) } : { kind: 'complete', session: updated };
  }

  /**
   * Marks a completing session done, remembering what it produced. The
   * answers are dropped: what matters is now in the domain's records, and the
   * dialog store should not become a second copy of personal data.
   */
  async finish(sessionId: string, resultId: string): Promise<void> {
    await this.store.update((s) => {
      const live = s.dialogs[sessionId];
      if (live) Object.assign(live, { status: 'completed', resultId, answers: {}, updatedAt: this.clock.now().toISOString() });
    });
  }

  /** Puts a completing session back to its last step after the result could not be recorded. */
  async reopen(sessionId: string): Promise<void> {
    await this.store.update((s) => {
      const live = s.dialogs[sessionId];
      if (live?.status === 'completing') live.status = 'open';
    });
  }

  /** Cancels a session; true when there was an open one to cancel. */
  async cancel(sessionId: string, personId: string): Promise<boolean> {
    const found = this.live(sessionId, personId);
    if (!found.ok || found.session.status !== 'open') return false;
    await this.store.update((s) => {
      Object.assign(s.dialogs[sessionId]!, { status: 'cancelled', updatedAt: this.clock.now().toISOString() });
    });
    return true;
  }

  /** Which dialog a live session runs and its answers so far (context included), for the caller's own checks. */
  peek(sessionId: string, personId: string): { dialogId: string; answers: Answers } | undefined {
    const found = this.live(sessionId, personId);
    return found.ok ? { dialogId: found.session.dialogId, answers: { ...found.session.answers } } : undefined;
  }

  /** The form for a session's current step, to resume it. */
  current(sessionId: string, personId: string): DialogFormModel | undefined {
    const found = this.live(sessionId, personId);
    return found.ok && found.session.status === 'open' ? this.form(found.session) : undefined;
  }

  private live(sessionId: string, personId: string): { ok: true; session: DialogSession } | { ok: false; message: string } {
    const session = this.store.read().dialogs[sessionId];
    if (!session || session.status === 'cancelled') return { ok: false, message: 'This form has been cancelled or has expired. Start again with the command.' };
    if (session.personId !== personId) return { ok: false, message: 'This form belongs to someone else. Start your own with the command.' };
    if (session.status === 'open' && this.clock.now().getTime() - Date.parse(session.updatedAt) > SESSION_TTL_MS) {
      return { ok: false, message: 'This form has expired after 24 hours without changes. Start again with the command.' };
    }
    return { ok: true, session };
  }

  private definition(dialogId: string): DialogDefinition {
    const def = this.definitions.get(dialogId);
    if (!def) throw new Error(`unknown dialog ${dialogId}`);
    return def;
  }

  private form(session: DialogSession, errors: Record<string, string> = {}): DialogFormModel {
    const def = this.definition(session.dialogId);
    const answers = session.answers;
    const step = def.steps.find((s) => s.id === session.stepId)!;
    const at = def.steps.indexOf(step);
    const done = def.steps.slice(0, at).filter((s) => !s.when || s.when(answers)).length;
    // How many steps there will be, given what an answer on this step may still change (a victim or witness adds the engagement step).
    const { min, max } = laterRange(def.steps.slice(at + 1), step, answers, this.clock.now());
    const errorCount = Object.keys(errors).length;
    const subject = answers.escalationId ?? answers.subjectLabel ?? answers.subjectId ?? answers.requestId;
    return {
      sessionId: session.id,
      stepId: step.id,
      title: def.title,
      stepTitle: step.title,
      stepNumber: done + 1,
      stepCount: done + 1 + min,
      stepCountMax: done + 1 + max,
      ...(subject ? { subject } : {}),
      submitLabel: nextStep(def, step, answers) ? 'Next' : max > 0 ? 'Continue' : def.submitLabel,
      fields: fieldsOf(step, answers, this.clock.now()).map((f) => toFormField(f, answers[f.id] ?? '', errors[f.id])),
      ...(errorCount ? { errorSummary: `Please correct ${errorCount === 1 ? 'the field' : `${errorCount} fields`} marked below.` } : {}),
    };
  }
}

function nextStep(def: DialogDefinition, current: StepDef, answers: Answers): StepDef | undefined {
  const at = def.steps.indexOf(current);
  return def.steps.slice(at + 1).find((s) => !s.when || s.when(answers));
}

/** Choice fields with more options than this (a person picker) are taken not to decide which steps follow. */
const BRANCHING_OPTIONS = 20;
/** Most combinations of this step's choices tried. */
const MAX_COMBINATIONS = 512;

/**
 * The fewest and most later steps that can apply, over every combination of
 * answers to this step's choice fields (taken together: a decision type
 * opens one of three steps, never all three). Steps that depend only on
 * later answers count as they apply now.
 */
function laterRange(later: StepDef[], current: StepDef, answers: Answers, now: Date): { min: number; max: number } {
  const count = (a: Answers) => later.filter((s) => !s.when || s.when(a)).length;
  const choices = fieldsOf(current, answers, now).filter((f) => f.options?.length && f.options.length <= BRANCHING_OPTIONS && !answers[f.id]);
  let combos: Answers[] = [answers];
  for (const f of choices) {
    const next = combos.flatMap((a) => f.options!.map((o) => ({ ...a, [f.id]: o.value })));
    if (next.length > MAX_COMBINATIONS) break;
    combos = next;
  }
  const counts = combos.map(count);
  return { min: Math.min(...counts), max: Math.max(...counts) };
}

function toFormField(f: FieldDef, value: string, error: string | undefined) {
  const { validate: _v, requiredWhen: _r, ...shape } = f;
  return { ...shape, value, ...(error ? { error } : {}) };
}

function clean(prefill: Answers): Answers {
  const out: Answers = {};
  for (const [k, v] of Object.entries(prefill)) if (typeof v === 'string' && v.trim()) out[k] = v.trim();
  return out;
}
