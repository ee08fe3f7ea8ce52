/** A short message from the bot: help, a confirmation, a refusal or an error. */
export interface NoticeModel {
  tone: 'info' | 'success' | 'warning' | 'error';
  title: string;
  lines: string[];
}

const TONE_PREFIX: Record<NoticeModel['tone'], string> = { info: 'ℹ️', success: '✅', warning: '⚠️', error: '⛔' };

/** The title with a symbol, so tone never rests on colour alone. */
export function noticeHeading(model: NoticeModel): string {
  return `${TONE_PREFIX[model.tone]} ${model.title}`;
}

/** A notice, with its lines given one per argument. */
export function notice(tone: NoticeModel['tone'], title: string, ...lines: string[]): NoticeModel {
  return { tone, title, lines };
}
