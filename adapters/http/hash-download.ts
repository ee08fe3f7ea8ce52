import { createHash } from 'node:crypto';

/**
 * Downloads a file and returns its SHA-256, without keeping the file. Bounded
 * in size and time; undefined when it cannot be fetched in time or is too big.
 */
export async function hashDownload(url: string, headers: Record<string, string>, opts: { maxBytes?: number; timeoutMs?: number } = {}): Promise<string | undefined> {
  const { maxBytes = 25 * 1024 * 1024, timeoutMs = 10_000 } = opts;
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    if (!res.ok || !res.body) return undefined;
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) return undefined;
      hash.update(chunk);
    }
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}
