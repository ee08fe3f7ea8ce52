import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as TlsServer } from 'node:tls';

/** Reads a whole request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts a loopback HTTP server on an ephemeral port. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, server: Server = createServer()): Promise<{ url: string; close: () => Promise<void> }> {
  server.on('request', handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = (server as unknown) instanceof TlsServer ? 'https' : 'http';
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Polls until `check` returns a value (a throw counts as not yet), or fails after `ms`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, ms = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await Promise.resolve().then(check).catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A file download a fake platform served, and the credentials it was asked with. */
export interface Download {
  path: string;
  authorization?: string;
}

/** The bytes every fake file download returns. */
export const FAKE_IMAGE = Buffer.from('89504e470d0a1a0a-fake-screenshot-bytes', 'utf8');

/** Serves FAKE_IMAGE for GET requests under `prefix`, recording each; false when the request is not one. */
export function serveFakeFile(req: IncomingMessage, res: ServerResponse, prefix: string, downloads: Download[]): boolean {
  if (req.method !== 'GET' || !req.url?.startsWith(prefix)) return false;
  downloads.push({ path: req.url, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
  res.writeHead(200, { 'content-type': 'image/png' });
  res.end(FAKE_IMAGE);
  return true;
}
