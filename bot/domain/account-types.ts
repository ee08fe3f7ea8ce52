import type { CheckpointState } from './checkpoint.ts';
import type { CardCopy, SocialPlatform, Stamp } from './escalation.ts';

/** Two-factor methods; SMS is allowed with a warning, as it can be intercepted or SIM-swapped. */
export const TWO_FACTOR = ['authenticator', 'passkey', 'sms'] as const;
export type TwoFactor = (typeof TWO_FACTOR)[number];

/** Everything asked when requesting a new official account. */
export interface AccountDetails {
  platform: SocialPlatform;
  handle: string;
  displayName: string;
  purpose: string;
  audience: string;
  area: string;
  ownerId: string;
  adminIds: string[];
  businessEmail: string;
  verificationPlan: string;
  twoFactor: TwoFactor;
  loginAlerts: boolean;
  credentialsInPasswordManager: boolean;
  smmpEnrolled: boolean;
  /** Third-party apps wanted, each with its justification ("app: why"). */
  thirdPartyApps: string[];
  /** UTC ISO date (YYYY-MM-DD) when the account must be reviewed. */
  reviewDate: string;
}

/** Where a request for a new account stands. Approval is two-stage: corporate comms, then information security. */
export type RequestStatus = 'awaiting_comms' | 'awaiting_infosec' | 'changes_requested' | 'rejected' | 'approved';

/** A request for a new official account. */
export interface AccountRequest {
  id: string;
  status: RequestStatus;
  details: AccountDetails;
  requester: Stamp;
  commsApproval?: Stamp;
  infosecApproval?: Stamp;
  /** The last rejection reason or change request, shown on the card. */
  lastComment?: { by: Stamp; text: string; kind: 'rejected' | 'changes' };
  /** The register entry it became, once approved. */
  accountId?: string;
  copies: CardCopy[];
}

/** The set-up checklist the owner completes before an account goes live. */
export interface SetupChecklist {
  createdWithBusinessEmail: boolean;
  twoFactorOn: boolean;
  loginAlertsOn: boolean;
  inSmmp: boolean;
  verification: 'applied' | 'granted' | 'not_available';
}

export type AccountState = 'awaiting_setup' | 'active' | 'closing' | 'closed';

/** An official account in the register. */
export interface Account {
  id: string;
  state: AccountState;
  platform: SocialPlatform;
  handle: string;
  displayName: string;
  area: string;
  ownerId: string;
  adminIds: string[];
  businessEmail: string;
  reviewDate: string;
  verified: 'pending' | 'applied' | 'granted' | 'not_available';
  requestId: string;
  setup?: SetupChecklist & { by: Stamp };
  closure?: { reason: string; content: 'archive' | 'delete'; effectiveDate: string; status: 'awaiting_comms' | 'approved' | 'rejected'; requestedBy: Stamp; decidedBy?: Stamp };
  lastReviewed?: Stamp;
  updatedAt: string;
  copies: CardCopy[];
}

/** A reported fake or impersonation account, tracked until the platform acts. */
export interface ImpersonationCase {
  id: string;
  status: 'open' | 'reported' | 'taken_down' | 'declined';
  platform: SocialPlatform;
  target: string;
  /** The official account it imitates (handle). */
  imitates: string;
  notes: string;
  platformRef?: string;
  reporter: Stamp;
  updated: Stamp;
  copies: CardCopy[];
}

/** The slices of state account governance owns. */
export interface AccountsState extends CheckpointState {
  accountRequests: Record<string, AccountRequest>;
  accounts: Record<string, Account>;
  impersonations: Record<string, ImpersonationCase>;
  counters: Record<string, number>;
}

/** A profile link for a handle, for the public list. */
export function profileUrl(platform: SocialPlatform, handle: string): string | undefined {
  const h = encodeURIComponent(handle.replace(/^@/, ''));
  const base: Partial<Record<SocialPlatform, string>> = {
    X: `https://x.com/${h}`, Facebook: `https://www.facebook.com/${h}`, Instagram: `https://www.instagram.com/${h}`,
    TikTok: `https://www.tiktok.com/@${h}`, YouTube: `https://www.youtube.com/@${h}`, Threads: `https://www.threads.net/@${h}`,
    Bluesky: `https://bsky.app/profile/${h}`, LinkedIn: `https://www.linkedin.com/company/${h}`, Nextdoor: `https://nextdoor.co.uk/agency-detail/${h}`,
  };
  return base[platform];
}
