import type { AccountDomain } from '../domain/account-domain.ts';
import type { Account } from '../domain/account-types.ts';
import type { LeaverCase } from '../domain/leaver-types.ts';
import type { Actor } from '../domain/people.ts';

/**
 * The account register as leaver cases use it: the accounts a person can
 * reach, ownership transfers and admin removals as items are ticked, and
 * the check that keeps a case open while the register still lists the
 * person on an account they lose. Without account governance configured the
 * register is empty and cases cover only the person's own items.
 */
export class LeaverRegister {
  constructor(private readonly domain: AccountDomain | undefined) {}

  /** Live accounts, for the dialog. */
  live(): Account[] {
    return (this.domain?.accounts.all() ?? []).filter((a) => a.state !== 'closed');
  }

  accounts(ids: string[]): Account[] {
    return ids.flatMap((id) => this.domain?.accounts.get(id) ?? []);
  }

  label(id: string): string {
    const a = this.domain?.accounts.get(id);
    return a ? `${a.platform} @${a.handle}` : id;
  }

  async transfer(actor: Actor, accountId: string, from: string, to: string): Promise<void> {
    await this.domain?.accounts.changeHolders(actor, accountId, { transfer: { from, to } });
  }

  async removeAdmin(actor: Actor, accountId: string, personId: string): Promise<void> {
    await this.domain?.accounts.changeHolders(actor, accountId, { removeAdmin: personId });
  }

  /** Live accounts the register lists the person on (owner or administrator). */
  heldBy(personId: string): Account[] {
    return this.live().filter((a) => a.ownerId === personId || a.adminIds.includes(personId));
  }

  /** Accounts the register lists the person on that the case does not cover (and a mover does not keep). */
  uncovered(c: LeaverCase): Account[] {
    return c.personId ? this.heldBy(c.personId).filter((a) => !c.accountIds.includes(a.id)) : [];
  }

  /** The accounts the case takes away on which the register still lists the person as owner or administrator. */
  stillHeld(c: LeaverCase): string[] {
    if (!c.personId) return [];
    const losing = c.accountIds.filter((id) => !(c.kind === 'mover' && c.keepAccountIds.includes(id)));
    return this.accounts(losing).filter((a) => a.state !== 'closed' && (a.ownerId === c.personId || a.adminIds.includes(c.personId!))).map((a) => `@${a.handle}`);
  }
}
