import { profileUrl, type Account } from '../domain/account-types.ts';

/** One official account as the public may see it: no staff personal data. */
export interface PublicAccount {
  platform: string;
  handle: string;
  displayName: string;
  url: string | null;
  area: string;
  verified: boolean;
}

/** The published list of official accounts. */
export interface PublicList {
  force: string;
  updatedAt: string;
  accounts: PublicAccount[];
}

/**
 * The list the force publishes: active engagement accounts (and those whose
 * approved closure has not yet taken effect), sorted by platform and handle.
 * Owners, admins and emails are never included.
 */
export function publicList(force: string, accounts: Account[], areaName: (id: string) => string): PublicList {
  const live = accounts.filter((a) => a.state === 'active' || a.state === 'closing');
  const updatedAt = accounts.reduce((latest, a) => (a.updatedAt > latest ? a.updatedAt : latest), '1970-01-01T00:00:00.000Z');
  return {
    force,
    updatedAt,
    accounts: live
      .map((a) => ({ platform: a.platform, handle: `@${a.handle}`, displayName: a.displayName, url: profileUrl(a.platform, a.handle) ?? null, area: areaName(a.area), verified: a.verified === 'granted' }))
      .sort((x, y) => x.platform.localeCompare(y.platform) || x.handle.localeCompare(y.handle)),
  };
}
