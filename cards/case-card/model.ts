import type { AlertAction, Fact, NoteColor } from '../escalation-alert/model.ts';

/**
 * A case card: an account request, an account in the register, an
 * impersonation case. Each use has its own builder; they share this shape
 * and its two renderers. Every value is shown as plain text.
 */
export interface CaseCardModel {
  /** The record the buttons act on. */
  subjectId: string;
  heading: string;
  style: 'attention' | 'warning' | 'accent' | 'emphasis' | 'good';
  facts: Fact[];
  /** Things to notice, each shown with a warning symbol. */
  flags: string[];
  statusText: string;
  /** A picture shown under the facts (a surge's chart), by a URL the platforms can fetch, with its text alternative. */
  image?: { url: string; alt: string };
  actions: AlertAction[];
  /** A message for the one person viewing (Teams invoke responses). */
  note: string;
  /** The note's colour, from the tone of what it says (a success is not red). */
  noteColor: NoteColor;
  fallbackText: string;
}
