import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PublicList } from '../../bot/app/public-list.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZoneName: 'short' });

/**
 * The public list of official accounts as an accessible HTML page: a
 * captioned table with scoped headers, real links with descriptive text,
 * verified status in words, no colour-only meaning, responsive and zoomable.
 */
export function officialAccountsHtml(list: PublicList): string {
  const updated = list.updatedAt.startsWith('1970') ? 'not yet' : dateFormat.format(new Date(list.updatedAt));
  const rows = list.accounts.map((a) => `
        <tr>
          <th scope="row">${esc(a.platform)}</th>
          <td>${a.url ? `<a href="${esc(a.url)}" rel="noopener">${esc(a.handle)}<span class="visually-hidden"> on ${esc(a.platform)}</span></a>` : esc(a.handle)}</td>
          <td>${esc(a.displayName)}</td>
          <td>${esc(a.area)}</td>
          <td>${a.verified ? 'Verified' : 'Not verified'}</td>
        </tr>`).join('');
  return `<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Official social media accounts – ${esc(list.force)}</title>
  <style>
    body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; line-height: 1.5; color: #0b0c0c; background: #fff; margin: 0; padding: 1rem; max-width: 70rem; }
    h1 { font-size: 1.75rem; margin: 0 0 .5rem; }
    table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
    caption { text-align: left; font-weight: 600; padding-bottom: .5rem; }
    th, td { text-align: left; padding: .5rem .75rem; border-bottom: 1px solid #505a5f; vertical-align: top; }
    thead th { border-bottom: 2px solid #0b0c0c; }
    a { color: #1d4ed8; text-decoration: underline; text-underline-offset: .15em; }
    a:focus-visible { outline: 3px solid #0b0c0c; outline-offset: 2px; background: #ffdd00; color: #0b0c0c; }
    .visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
    @media (max-width: 40rem) { th, td { padding: .4rem; } }
  </style>
</head>
<body>
  <main>
    <h1>Official social media accounts</h1>
    <p>These are the only official social media accounts of ${esc(list.force)}. If an account is not listed here, it is not ours: please report it to the platform.</p>
    <p>Last updated: <time datetime="${esc(list.updatedAt)}">${esc(updated)}</time></p>
    ${list.accounts.length ? `<table>
      <caption>${list.accounts.length} official account${list.accounts.length === 1 ? '' : 's'}</caption>
      <thead>
        <tr><th scope="col">Platform</th><th scope="col">Account</th><th scope="col">Name</th><th scope="col">Area or team</th><th scope="col">Verification</th></tr>
      </thead>
      <tbody>${rows}
      </tbody>
    </table>` : '<p>There are no official accounts to list yet.</p>'}
  </main>
</body>
</html>
`;
}

/** GET /official-accounts and /official-accounts.json, with validators for caches. */
export function officialAccountsEndpoint(list: () => PublicList): (req: IncomingMessage, res: ServerResponse, format: 'html' | 'json') => void {
  return (req, res, format) => {
    const data = list();
    const body = format === 'json' ? JSON.stringify(data, null, 2) : officialAccountsHtml(data);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    const headers = {
      'cache-control': 'public, max-age=300, stale-while-revalidate=60',
      etag,
      'last-modified': new Date(data.updatedAt).toUTCString(),
      'x-content-type-options': 'nosniff',
      ...(format === 'html' ? { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *" } : { 'access-control-allow-origin': '*' }),
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      return res.end();
    }
    res.writeHead(200, { ...headers, 'content-type': format === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8' });
    res.end(body);
  };
}
