import type { AlertAction, Fact, NoteColor } from '../escalation-alert/model.ts';

/**
 * A picture on a card, kept by Bluedesk under its SHA-256. How each platform
 * shows it is the adapter's to settle when it sends the card: inside a Teams
 * card as a data URI, or uploaded to Slack as a file; else from the public
 * address, if there is one. Where none works, `missing` is said instead.
 */
export interface CardImage {
  sha256: string;
  /** The text alternative. */
  alt: string;
  /** Where platforms can fetch it: PUBLIC_URL's address for it, if set. */
  url?: string;
  /** Set by the Teams adapter: the picture itself, as a data URI. */
  inline?: string;
  /** Set by the Slack adapter: the uploaded file's id. */
  slackFileId?: string;
  /** Shown when the platform can show no picture: where it is kept. */
  missing: string;
}

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
  /** A picture shown under the facts (a surge's chart). */
  image?: CardImage;
  actions: AlertAction[];
  /** A message for the one person viewing (Teams invoke responses). */
  note: string;
  /** The note's colour, from the tone of what it says (a success is not red). */
  noteColor: NoteColor;
  fallbackText: string;
}
