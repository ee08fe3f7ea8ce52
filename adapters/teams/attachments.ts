import type { TurnContext } from 'botbuilder';
import type { Attachment } from '../../bot/domain/escalation.ts';
import type { Logger } from '../../bot/log.ts';
import { hashDownload } from '../http/hash-download.ts';

/**
 * Screenshots and files sent with a Teams message, identified by their Teams
 * id and SHA-256; the files themselves are not kept. Inline images live on
 * the connector and need the bot's token, which is only ever sent there.
 */
export async function teamsAttachments(ctx: TurnContext, log: Logger): Promise<Attachment[]> {
  const found = (ctx.activity.attachments ?? []).flatMap((a) => {
    if (a.contentType === 'application/vnd.microsoft.teams.file.download.info') {
      const content = (a.content ?? {}) as { downloadUrl?: string; uniqueId?: string };
      return content.downloadUrl ? [{ url: content.downloadUrl, fileId: content.uniqueId ?? a.name ?? content.downloadUrl, name: a.name, connector: false }] : [];
    }
    if (a.contentType?.startsWith('image/') && a.contentUrl && /^https?:\/\//.test(a.contentUrl)) {
      const id = /\/attachments\/([^/]+)/.exec(a.contentUrl)?.[1] ?? a.contentUrl;
      return [{ url: a.contentUrl, fileId: decodeURIComponent(id), name: a.name, connector: sameOrigin(a.contentUrl, ctx.activity.serviceUrl) }];
    }
    return [];
  });
  if (!found.length) return [];
  const token = found.some((f) => f.connector) ? await botToken(ctx) : undefined;
  return Promise.all(found.slice(0, 10).map(async (f) => {
    // Hashing runs inside the turn, which Bot Framework abandons after 10–15 s: keep well inside that.
    const sha256 = await hashDownload(f.url, f.connector && token ? { authorization: `Bearer ${token}` } : {}, { timeoutMs: 4000 });
    if (!sha256) log.warn('teams attachment kept by id only: it could not be downloaded', { fileId: f.fileId });
    return { platform: 'teams' as const, fileId: f.fileId, ...(f.name ? { name: f.name } : {}), ...(sha256 ? { sha256 } : {}) };
  }));
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** The bot's own token for the connector, when it has credentials (none in anonymous local mode). */
async function botToken(ctx: TurnContext): Promise<string | undefined> {
  const client = ctx.turnState.get(ctx.adapter.ConnectorClientKey) as { credentials?: { getToken?: () => Promise<string> } } | undefined;
  try {
    return (await client?.credentials?.getToken?.()) || undefined;
  } catch {
    return undefined;
  }
}
