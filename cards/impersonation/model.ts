import type { ImpersonationCase } from '../../bot/domain/account-types.ts';
import type { CaseCardModel } from '../case-card/model.ts';
import { ukDateTime } from '../format.ts';

const STATUS: Record<ImpersonationCase['status'], string> = {
  open: 'Open: not yet reported to the platform',
  reported: 'Reported to the platform',
  taken_down: 'Taken down',
  declined: 'The platform declined to act',
};

/** An impersonation case, with the steps that can follow. */
export function impersonationCard(c: ImpersonationCase): CaseCardModel {
  return {
    subjectId: c.id,
    heading: `🎭 Impersonation ${c.id} · ${c.platform} ${c.target}`,
    style: c.status === 'taken_down' ? 'good' : c.status === 'declined' ? 'warning' : 'attention',
    facts: [
      { label: 'Imitates', value: `@${c.imitates.replace(/^@/, '')}` },
      { label: 'Fake account', value: c.target },
      { label: 'Notes', value: c.notes || 'none' },
      ...(c.platformRef ? [{ label: 'Platform reference', value: c.platformRef }] : []),
      { label: 'Reported by', value: `${c.reporter.name}, ${ukDateTime(c.reporter.at)}` },
    ],
    flags: [],
    statusText: `${STATUS[c.status]} (last change by ${c.updated.name}, ${ukDateTime(c.updated.at)})`,
    actions: [
      ...(c.status === 'open' ? [{ verb: 'impersonation.reported', title: 'Reported to platform', style: 'positive' as const }] : []),
      ...(c.status === 'open' || c.status === 'reported'
        ? [{ verb: 'impersonation.taken_down', title: 'Taken down', style: 'default' as const }, { verb: 'impersonation.declined', title: 'Platform declined', style: 'default' as const }]
        : []),
    ],
    note: '',
    noteColor: 'Default',
    fallbackText: `Impersonation ${c.id} of @${c.imitates}: ${STATUS[c.status]}.`,
  };
}
