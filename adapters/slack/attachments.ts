import type { Attachment } from '../../bot/domain/escalation.ts';
import { hashDownload } from '../http/hash-download.ts';

/** A file as Slack includes it in message payloads. */
export interface SlackFile {
  id: string;
  name?: string;
  url_private?: string;
  url_private_download?: string;
}

/**
 * Files shared with a Slack message, identified by Slack file id and SHA-256;
 * the files themselves are not kept. The bot token is only ever sent to
 * Slack's own file hosts (or the configured API host, e.g. GovSlack).
 */
export async function slackAttachments(files: SlackFile[], token: string, apiUrl: string | undefined, timeoutMs: number): Promise<Attachment[]> {
  const trusted = (url: string) => {
    try {
      const host = new URL(url).host;
      return /(^|\.)slack(-gov)?\.com$/.test(host) || (apiUrl !== undefined && host === new URL(apiUrl).host);
    } catch {
      return false;
    }
  };
  return Promise.all(files.slice(0, 10).map(async (f) => {
    const url = f.url_private_download ?? f.url_private;
    const sha256 = url && trusted(url) ? await hashDownload(url, { authorization: `Bearer ${token}` }, { timeoutMs }) : undefined;
    return { platform: 'slack' as const, fileId: f.id, ...(f.name ? { name: f.name } : {}), ...(sha256 ? { sha256 } : {}) };
  }));
}

/** Slack writes links as `<https://…|label>`; the raw URL is what we escalate. */
export function unwrapSlackLinks(text: string): string {
  return text.replace(/<(https?:\/\/[^|>]+)(\|[^>]*)?>/g, '$1');
}
