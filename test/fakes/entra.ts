import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { json, listen, readBody } from './http.ts';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** An RSA signing key with the JWK botbuilder needs (kid, n, e). */
export function signingKey(kid = randomUUID()) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { kid, privateKey, jwk: { kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] } };
}

/** Signs a JWT with RS256 (or writes an unsigned `alg: none` one). */
export function signJwt(claims: Record<string, unknown>, key: { kid: string; privateKey: KeyObject }, alg: 'RS256' | 'none' = 'RS256'): string {
  const header = b64url(JSON.stringify({ alg, typ: 'JWT', kid: key.kid, x5t: key.kid }));
  const payload = b64url(JSON.stringify(claims));
  if (alg === 'none') return `${header}.${payload}.`;
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${b64url(signer.sign(key.privateKey))}`;
}

/**
 * The Bot Framework channel's OpenID metadata and JWKS, on loopback HTTP,
 * so tokens the test signs are what botbuilder validates inbound requests with.
 */
export async function startFakeChannelIssuer(keys: Array<{ jwk: Record<string, unknown> }>) {
  let base = '';
  const server = await listen((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/v1/.well-known/openidconfiguration') {
      return json(res, 200, { issuer: 'https://api.botframework.com', authorization_endpoint: `${base}/authorize`, jwks_uri: `${base}/v1/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] });
    }
    if (path === '/v1/keys') return json(res, 200, { keys: keys.map((k) => k.jwk) });
    return json(res, 404, {});
  });
  base = server.url;
  return { ...server, metadataUrl: `${server.url}/v1/.well-known/openidconfiguration` };
}

/**
 * A login authority over HTTPS (trusted through NODE_EXTRA_CA_CERTS) that
 * MSAL can discover and get a client-credentials token from, for the
 * bot's outgoing calls to the connector.
 */
export async function startFakeLoginAuthority(certDir: URL) {
  const tokens: Array<{ clientId: string | null; scope: string | null }> = [];
  let base = '';
  const server = createHttpsServer({ cert: readFileSync(new URL('cert.pem', certDir)), key: readFileSync(new URL('key.pem', certDir)) });
  const started = await listen(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const tenant = path.split('/')[1] ?? 'botframework.com';
    if (path.endsWith('/v2.0/.well-known/openid-configuration')) {
      return json(res, 200, {
        token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
        issuer: `${base}/${tenant}/v2.0`,
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'token'],
      });
    }
    if (path.endsWith('/oauth2/v2.0/token')) {
      const form = new URLSearchParams(await readBody(req));
      tokens.push({ clientId: form.get('client_id'), scope: form.get('scope') });
      return json(res, 200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: `outbound-token-${tokens.length}` });
    }
    return json(res, 404, {});
  }, server as never);
  base = started.url;
  return { ...started, tokens, loginUrl: `${base}/botframework.com` };
}
