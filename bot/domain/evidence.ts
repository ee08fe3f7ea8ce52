import { createHash } from 'node:crypto';
import type { Attachment, Evidence } from './escalation.ts';

/** Query parameters that only track who shared a link; dropping them keeps one URL per post. */
const TRACKING = /^(utm_.+|fbclid|gclid|dclid|mc_[a-z]+|igshid|igsh|si|s|t|ref|ref_src|ref_url|mibextid|rdid|share_id|__cft__.*|__tn__)$/i;

/**
 * One canonical form of a content link: lower-case scheme and host, no
 * default port, no fragment, no tracking parameters, no trailing slash.
 */
export function normaliseUrl(raw: string): string {
  const url = new URL(raw.trim());
  url.hash = '';
  url.hostname = url.hostname.toLowerCase();
  for (const key of [...url.searchParams.keys()]) if (TRACKING.test(key)) url.searchParams.delete(key);
  if (url.pathname.length > 1 && url.pathname.endsWith('/')) url.pathname = url.pathname.replace(/\/+$/, '');
  return url.toString();
}

/** Hex SHA-256 of text, as UTF-8. */
export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The evidence record for content captured at a given time. */
export function captureEvidence(contentUrl: string, capturedAt: string, capturedText?: string, attachments: Attachment[] = []): Evidence {
  return {
    normalisedUrl: normaliseUrl(contentUrl),
    capturedAt,
    ...(capturedText ? { textSha256: sha256Hex(capturedText) } : {}),
    attachments,
  };
}
