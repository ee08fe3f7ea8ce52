import type { CaseCardModel } from '../case-card/model.ts';

/** What information security is told when a platform says someone left it. */
export interface LeaverSignal {
  personId: string;
  name: string;
  /** "Slack", or "the force's Microsoft Teams team". */
  where: string;
  roles: number;
  /** The accounts the register lists them on, in words. */
  accounts: string[];
}

/** "J. Smith was removed from Slack: start a leaver case?", with the button that opens the form pre-filled. */
export function leaverSignalCard(s: LeaverSignal): CaseCardModel {
  return {
    subjectId: s.personId,
    heading: `🚪 ${s.name} was removed from ${s.where}: start a leaver case?`,
    style: 'warning',
    facts: [
      { label: 'Bluedesk roles', value: String(s.roles) },
      { label: 'Accounts in the register', value: s.accounts.join(', ') || 'none' },
    ],
    flags: ['Nobody has started a leaver or mover case for them. If they have left or moved, start one now so every door is closed.'],
    statusText: 'No case yet',
    actions: [{ verb: 'leaver.start_for', title: 'Start leaver case', style: 'positive' }],
    note: '',
    noteColor: 'Default',
    fallbackText: `${s.name} was removed from ${s.where}: start a leaver case?`,
  };
}
