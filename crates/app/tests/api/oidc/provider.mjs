// A real OpenID Connect provider (the `oidc-provider` package) for the end-to-end tests:
// client credentials, JWT access tokens, keys that can be rotated, and a count of the
// requests for its key set. Run: node provider.mjs '<config JSON>'; it prints
// {"issuer": "http://127.0.0.1:<port>"} on one line once it listens.
//
// config: {"module": "<path to oidc-provider's package directory>",
//          "alg": "RS256" | "ES256" | "EdDSA", "audience": "mtdb",
//          "clients": {"<client_id>": {"claims": {...}, "ttl": <seconds>}}}
// Every client's secret is "<client_id>-secret".
//
// Test endpoints beside the provider's own:
//   POST /test/keys/publish  a new key joins the set (the current one still signs)
//   POST /test/keys/promote  the newest key signs
//   POST /test/keys/retire   every key but the signing one leaves the set
//   GET  /test/stats         {"jwks": <key set requests served>, "signing_kid": ...}
//   GET  /test/public.pem    the signing key's public half, PEM
import { createServer } from 'node:http';
import { generateKeyPairSync, createPublicKey, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const config = JSON.parse(process.argv[2]);
const { default: Provider } = await import(
  pathToFileURL(join(config.module, 'lib', 'index.js')).href
);

function newKey() {
  const pair =
    config.alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : config.alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('ed25519');
  const jwk = pair.privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: randomUUID(), alg: config.alg, use: 'sig' };
}

let keys = [newKey()];
let signingKid = keys[0].kid;
let jwksServed = 0;
let handler;

function build(issuer) {
  const provider = new Provider(issuer, {
    clients: Object.keys(config.clients).map((id) => ({
      client_id: id,
      client_secret: `${id}-secret`,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      id_token_signed_response_alg: config.alg,
    })),
    jwks: { keys },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'urn:mtdb:api',
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource, client) => ({
          scope: 'tenants',
          audience: config.audience,
          accessTokenTTL: config.clients[client.clientId].ttl ?? 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: config.alg, kid: signingKid } },
        }),
      },
    },
    extraTokenClaims: (ctx, token) => config.clients[token.clientId].claims,
  });
  handler = provider.callback();
}

function testEndpoint(req, res, issuer) {
  const reply = (body, type = 'application/json') => {
    res.writeHead(200, { 'content-type': type });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  if (req.method === 'POST' && req.url === '/test/keys/publish') {
    keys = [...keys, newKey()];
  } else if (req.method === 'POST' && req.url === '/test/keys/promote') {
    signingKid = keys[keys.length - 1].kid;
  } else if (req.method === 'POST' && req.url === '/test/keys/retire') {
    keys = keys.filter((key) => key.kid === signingKid);
  } else if (req.url === '/test/public.pem') {
    const jwk = keys.find((key) => key.kid === signingKid);
    return reply(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }), 'text/plain');
  } else if (req.url !== '/test/stats') {
    return false;
  }
  build(issuer);
  reply({ jwks: jwksServed, signing_kid: signingKid });
  return true;
}

const server = createServer((req, res) => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  if (req.url.startsWith('/test/')) {
    if (testEndpoint(req, res, issuer)) return;
  }
  if (req.url.split('?')[0] === '/jwks') jwksServed += 1;
  handler(req, res);
});
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  build(issuer);
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
// The test that started it may die without stopping it: end with its stdin.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
