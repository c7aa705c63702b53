// The life of a device grant as an independent standard client lives it: oauth4webapi, unmodified,
// against the demo server at the issuer given as the only argument. Oauth4webapiClientTest starts
// the demo, runs this script, and approves the code in between.
//
// Protocol: every step prints one JSON line on stdout ({"step": ...}). After "authorized" and after
// each "polled" the script waits for one line on stdin before it polls (the test approves and moves
// the demo's clock in between); after the tokens it goes on alone and ends with "done", or with
// "failed" and exit code 1.
//
//   node device-flow.mjs http://localhost:8080
import * as oauth from 'oauth4webapi';
import { createInterface } from 'node:readline';

const PUBLIC_CLIENT = { client_id: 'demo-device' };
const RESOURCE_SERVER = { client_id: 'demo-confidential' };
const RESOURCE_SERVER_SECRET = 'demo-secret';
const MAX_POLLS = 10;
// the demo serves plain http on loopback: the library's own option for it
const http = { [oauth.allowInsecureRequests]: true };

const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

function report(step, fields) {
  process.stdout.write(JSON.stringify({ step, ...fields }) + '\n');
}

async function awaitGo() {
  const line = await input.next();
  if (line.done) {
    throw new Error('stdin closed before the test said to go on');
  }
}

/** The OAuth error of a refused request (RFC 6749 §5.2), or a rethrow of anything else. */
function oauthError(e) {
  if (e instanceof oauth.ResponseBodyError) {
    return { status: e.status, error: e.error, error_description: e.error_description };
  }
  throw e;
}

async function introspect(as, token) {
  const response = await oauth.introspectionRequest(as, RESOURCE_SERVER,
      oauth.ClientSecretBasic(RESOURCE_SERVER_SECRET), token, http);
  return oauth.processIntrospectionResponse(as, RESOURCE_SERVER, response);
}

async function main() {
  const issuer = new URL(process.argv[2]);

  // RFC 8414: the metadata document; the library checks that its issuer is the one asked for
  const as = await oauth.processDiscoveryResponse(issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...http }));

  // RFC 8628 §3.1-3.2
  const codes = await oauth.processDeviceAuthorizationResponse(as, PUBLIC_CLIENT,
      await oauth.deviceAuthorizationRequest(as, PUBLIC_CLIENT, oauth.None(),
          { scope: 'openid offline_access' }, http));
  report('authorized', {
    user_code: codes.user_code,
    verification_uri: codes.verification_uri,
    expires_in: codes.expires_in,
    interval: codes.interval,
  });

  // RFC 8628 §3.4-3.5: poll until the tokens come; the test says when a poll is due
  let tokens;
  for (let poll = 1; tokens === undefined; poll++) {
    if (poll > MAX_POLLS) {
      throw new Error(`no tokens after ${MAX_POLLS} polls`);
    }
    await awaitGo();
    try {
      tokens = await oauth.processDeviceCodeResponse(as, PUBLIC_CLIENT,
          await oauth.deviceCodeGrantRequest(as, PUBLIC_CLIENT, oauth.None(), codes.device_code, http));
    } catch (e) {
      report('polled', oauthError(e));
    }
  }
  const idToken = oauth.getValidatedIdTokenClaims(tokens);
  const introspectedFirst = await introspect(as, tokens.access_token);

  // RFC 6749 §6: the refresh; with rotation the response carries a new refresh token
  const refreshed = await oauth.processRefreshTokenResponse(as, PUBLIC_CLIENT,
      await oauth.refreshTokenGrantRequest(as, PUBLIC_CLIENT, oauth.None(), tokens.refresh_token, http));
  const refreshedIdToken = oauth.getValidatedIdTokenClaims(refreshed);
  const introspectedBefore = await introspect(as, refreshed.access_token);

  // RFC 7009: the device revokes its newest refresh token, which revokes its grant
  await oauth.processRevocationResponse(await oauth.revocationRequest(as, PUBLIC_CLIENT, oauth.None(),
      refreshed.refresh_token, { additionalParameters: { token_type_hint: 'refresh_token' }, ...http }));

  // RFC 7662: the resource server now learns that the access token is no longer active
  const introspectedAfter = await introspect(as, refreshed.access_token);
  let refreshAfterRevocation;
  try {
    await oauth.processRefreshTokenResponse(as, PUBLIC_CLIENT,
        await oauth.refreshTokenGrantRequest(as, PUBLIC_CLIENT, oauth.None(), refreshed.refresh_token, http));
    refreshAfterRevocation = { status: 200 };
  } catch (e) {
    refreshAfterRevocation = oauthError(e);
  }

  report('done', {
    issuer: as.issuer,
    tokens: {
      token_type: tokens.token_type,
      scope: tokens.scope,
      expires_in: tokens.expires_in,
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      id_token: { iss: idToken.iss, sub: idToken.sub, aud: idToken.aud },
    },
    introspected_first: introspectedFirst,
    refreshed: {
      token_type: refreshed.token_type,
      access_token: refreshed.access_token,
      refresh_token: refreshed.refresh_token,
      id_token: refreshedIdToken && { iss: refreshedIdToken.iss, sub: refreshedIdToken.sub },
    },
    introspected_before_revocation: introspectedBefore,
    introspected_after_revocation: introspectedAfter,
    refresh_after_revocation: refreshAfterRevocation,
  });
}

main().then(() => process.exit(0), (e) => {
  report('failed', { error: String(e), code: e?.code, cause: e?.cause === undefined ? undefined : String(e.cause) });
  process.exit(1);
});
