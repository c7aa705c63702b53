package org.devicegrant.http.tck;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.devicegrant.CodePolicy;
import org.devicegrant.DecisionResult;
import org.devicegrant.DeviceGrant;
import org.devicegrant.DeviceGrantEvent;
import org.devicegrant.Hooks;
import org.devicegrant.DeviceMetadata;
import org.devicegrant.LookupResult;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.TenantResolver;
import org.devicegrant.token.TokenIssuanceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP cases every adapter passes, over real HTTP on 127.0.0.1: one full flow, each error of
 * the core's error table once, the body bound, HEAD, tenants and the client address, and the life
 * of a grant after it: refresh with rotation, revocation and introspection. An adapter's
 * test extends this class and implements {@link #start}; the contract builds the grant, sends the
 * requests and checks the answers. One instance per test method, as JUnit Jupiter makes them.
 */
public abstract class HttpAdapterContract {

    /** Paths an adapter under test mounts the device authorization endpoint at. */
    protected static final List<String> DEVICE_AUTHORIZATION_PATHS =
            List.of("/device_authorization", "/orgs/acme/device_authorization", "/orgs/Acme/device_authorization");
    /** Paths an adapter under test mounts the token endpoint at. */
    protected static final List<String> TOKEN_PATHS = List.of("/token", "/orgs/acme/token");
    /** Paths an adapter under test mounts the revocation endpoint (RFC 7009) at. */
    protected static final List<String> REVOCATION_PATHS = List.of("/revoke", "/orgs/acme/revoke");
    /** Paths an adapter under test mounts the introspection endpoint (RFC 7662) at. */
    protected static final List<String> INTROSPECTION_PATHS = List.of("/introspect", "/orgs/acme/introspect");

    private static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Set<String> OFFLINE = Set.of("openid", "offline_access");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A running adapter under test.
     *
     * @param port the port it listens on at 127.0.0.1
     * @param stop stops it; the contract calls it once, after each test
     */
    protected record Server(int port, AutoCloseable stop) {

        public Server {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
            }
            Objects.requireNonNull(stop, "stop");
        }

        /** The address of {@code path} on this server, e.g. {@code http://127.0.0.1:PORT/token}. */
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }

    /**
     * Starts the adapter on 127.0.0.1 with an ephemeral port, serving {@code grant} with
     * {@code tenants}: the device authorization endpoint at every path of
     * {@link #DEVICE_AUTHORIZATION_PATHS}, the token endpoint at every path of {@link #TOKEN_PATHS},
     * the revocation endpoint at every path of {@link #REVOCATION_PATHS} and the introspection
     * endpoint at every path of {@link #INTROSPECTION_PATHS}.
     * Called once per test, before its first request.
     *
     * @return the port and how to stop the server
     */
    protected abstract Server start(DeviceGrant grant, TenantResolver tenants) throws Exception;

    /**
     * A grant wired as the contract wires the grants of its cases (clients {@code tv}, public, and
     * {@code confidential}, secret {@code s3cret}, in the default tenant), for an adapter's own
     * tests beside the contract.
     */
    protected static DeviceGrant newGrant() {
        return new AdapterTestGrant().grant();
    }

    private final AdapterTestGrant wiring = new AdapterTestGrant();
    private DeviceGrant grant;
    private Server server;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.stop().close();
        }
    }

    private void serve(DeviceGrant deviceGrant, TenantResolver tenants) throws Exception {
        grant = deviceGrant;
        server = start(deviceGrant, tenants);
    }

    private void serve(UnaryOperator<DeviceGrant.Builder> customize) throws Exception {
        serve(wiring.grant(customize), TenantResolver.single());
    }

    private void serve() throws Exception {
        serve(b -> b);
    }

    // ---- the full flow ----

    @Test
    @DisplayName("RFC 8628 §3.2, §3.5, RFC 6749 §5.1: authorize, approve in-process, poll: tokens with Cache-Control no-store")
    void fullFlowWhenApprovedThenTokensNotCached() throws Exception {
        serve();
        HttpResponse<String> authorization = post("/device_authorization", form("client_id", "tv", "scope", "openid"));
        // RFC 8628 §3.2: a 200 application/json response carrying both codes
        assertThat(authorization.statusCode()).isEqualTo(200);
        assertThat(authorization.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        // RFC 6749 §5.1: the response carries a code, so Cache-Control: no-store
        assertThat(authorization.headers().firstValue("Cache-Control")).contains("no-store");
        Map<String, Object> codes = json(authorization);

        DecisionResult approved = grant.verification().approve(AdapterTestGrant.TENANT,
                (String) codes.get("user_code"), "alice", Set.of("openid"), Map.of(), null);
        assertThat(approved).isInstanceOf(DecisionResult.Recorded.class);
        wiring.clock.advance(Duration.ofSeconds(5));

        HttpResponse<String> token = poll("tv", (String) codes.get("device_code"));
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(token.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(token.headers().firstValue("Pragma")).contains("no-cache");
        assertThat(json(token)).containsKeys("access_token", "id_token").containsEntry("token_type", "Bearer");
    }

    // ---- request errors the core decides before reading parameters ----

    @Test
    @DisplayName("RFC 8628 §3.1, RFC 6749 §3.2: GET is 405 invalid_request with Allow: POST")
    void getWhenPostRequiredThen405WithAllow() throws Exception {
        serve();
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.uri("/token")).GET());
        // RFC 6749 §3.2: the client MUST use the HTTP "POST" method
        assertError(response, 405, "invalid_request");
        assertThat(response.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    @DisplayName("RFC 8628 §3.1, RFC 6749 §3.2: HEAD is 405 with Allow: POST and no body")
    void headWhenPostRequiredThen405WithoutBody() throws Exception {
        serve();
        // read off a raw socket: java.net.http never reads content after the head of a HEAD response
        RawResponse response = head(server.uri("/device_authorization"));
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).contains("POST");
        // RFC 9110 §9.3.2: the server MUST NOT send content in the response to HEAD
        assertThat(response.body()).as("bytes after the head of a HEAD response").isEmpty();
        // RFC 9110 §8.6: a Content-Length sent for HEAD is the length of the content the grant answered
        int length = grant.deviceAuthorization(DeviceGrantRequest.builder().method("HEAD").build()).body()
                .getBytes(StandardCharsets.UTF_8).length;
        response.header("Content-Length").ifPresent(sent -> assertThat(sent).isEqualTo(String.valueOf(length)));
    }

    @Test
    @DisplayName("RFC 8628 §3.1: a body that is not form-encoded is invalid_request")
    void postWhenJsonBodyThenInvalidRequest() throws Exception {
        serve();
        HttpResponse<String> response = post("/device_authorization", "application/json", "{\"client_id\":\"tv\"}");
        assertError(response, 400, "invalid_request");
    }

    @Test
    @DisplayName("a 1 MiB body sent whole is invalid_request")
    void postWhenOneMebibyteSentWholeThenInvalidRequest() throws Exception {
        serve();
        byte[] huge = ("client_id=tv&scope=" + "a".repeat(1024 * 1024)).getBytes(StandardCharsets.US_ASCII);
        RawResponse response = postReadingEarly(server.uri("/device_authorization"), huge);
        assertError(response.status(), response::header, response.body(), 400, "invalid_request");
    }

    @Test
    @DisplayName("of a body announced as 1 MiB the adapter reads 64 KiB + 1 bytes, no more, no fewer")
    void postWhenBodyIsOneMebibyteThenInvalidRequestWithoutBufferingIt() throws Exception {
        serve();
        // Content-Length announces 1 MiB, but only MAX_BODY_BYTES + 1 bytes come and the connection
        // stays open. An adapter that reads more waits for bytes that never come, and the read of
        // the response times out; one that passes on MAX_BODY_BYTES bytes or fewer hands the grant
        // a form it serves (200).
        byte[] sent = paddedForm(DeviceGrantRequest.MAX_BODY_BYTES + 1);
        RawResponse response = postThenWait(server.uri("/device_authorization"), 1024 * 1024, sent);
        assertError(response.status(), response::header, response.body(), 400, "invalid_request");
    }

    @Test
    @DisplayName("a body of exactly 64 KiB is read whole and served")
    void postWhenBodyIsExactlyMaxBodyBytesThenServed() throws Exception {
        serve();
        HttpResponse<String> response = post("/device_authorization",
                new String(paddedForm(DeviceGrantRequest.MAX_BODY_BYTES), StandardCharsets.US_ASCII));
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(200);
        assertThat(json(response)).containsKeys("device_code", "user_code");
    }

    @Test
    @DisplayName("RFC 6749 §3.2: a repeated parameter is invalid_request")
    void postWhenParameterRepeatedThenInvalidRequest() throws Exception {
        serve();
        // RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once."
        assertError(post("/device_authorization", "client_id=tv&client_id=tv"), 400, "invalid_request");
    }

    @Test
    @DisplayName("a bad %-escape is invalid_request")
    void postWhenBadPercentEscapeThenInvalidRequest() throws Exception {
        serve();
        assertError(post("/device_authorization", "client_id=t%zzv"), 400, "invalid_request");
    }

    @Test
    @DisplayName("an endpoint answers at its exact path only: a longer path is 404 (or the container's 405) and never reaches the grant")
    void postWhenPathExtendsAnEndpointPathThenNotFoundAndNothingIssued() throws Exception {
        List<DeviceGrantEvent> events = new CopyOnWriteArrayList<>();
        serve(b -> b.hooks(Hooks.defaults().withListener(events::add)));
        // com.sun.net.httpserver contexts and servlet path prefixes match every path that starts
        // with theirs; a gateway that routes or filters by exact path would then pass requests
        // the endpoint serves anyway
        for (String path : List.of("/device_authorizationX", "/device_authorization/", "/device_authorization/extra",
                "/tokenX", "/token/extra", "/revoke/x", "/introspectX", "/orgs/acme/token/extra")) {
            HttpResponse<String> response = post(path, form("client_id", "tv", "scope", "openid"));
            // 404, or the 405 a servlet container's default servlet gives a POST to a path it has no mapping for
            assertThat(response.statusCode()).as("status at %s: %s", path, response.body()).isIn(404, 405);
        }
        assertThat(events).as("events of requests at paths no endpoint serves").isEmpty();
    }

    @Test
    @DisplayName("RFC 9700 §4.13: the device's address is the TCP peer, never X-Forwarded-For; its User-Agent reaches the grant")
    void postWhenForwardedForSentThenDeviceAddressIsTheTcpPeer() throws Exception {
        serve();
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.uri("/device_authorization"))
                .header("Content-Type", FORM)
                .header("X-Forwarded-For", "203.0.113.9")
                .header("User-Agent", "contract-tv/1.0")
                .POST(HttpRequest.BodyPublishers.ofString(form("client_id", "tv"))));
        assertThat(response.statusCode()).isEqualTo(200);
        LookupResult found = grant.verification().lookup(AdapterTestGrant.TENANT,
                (String) json(response).get("user_code"), "198.51.100.7");
        // RFC 9700 §4.13: any client can send X-Forwarded-For, so it never names the client
        assertThat(found).isInstanceOfSatisfying(LookupResult.Pending.class,
                pending -> assertThat(pending.deviceMetadata())
                        .containsEntry(DeviceMetadata.IP_ADDRESS, "127.0.0.1")
                        .containsEntry(DeviceMetadata.USER_AGENT, "contract-tv/1.0"));
    }

    // ---- client authentication and authorization ----

    @Test
    @DisplayName("RFC 8628 §3.1, RFC 6749 §5.2: an unknown client_id is invalid_client with 400")
    void postWhenUnknownClientThenInvalidClient400() throws Exception {
        serve();
        assertError(post("/device_authorization", form("client_id", "nobody")), 400, "invalid_client");
    }

    @Test
    @DisplayName("RFC 6749 §5.2: a wrong Basic secret is invalid_client with 401 and WWW-Authenticate")
    void postWhenBadBasicCredentialsThenInvalidClient401() throws Exception {
        serve();
        String basic = Base64.getEncoder().encodeToString("confidential:wrong".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.uri("/device_authorization"))
                .header("Content-Type", FORM)
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("scope=openid")));
        // RFC 6749 §5.2: 401 and a WWW-Authenticate header matching the scheme the client used
        assertError(response, 401, "invalid_client");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic"));
    }

    @Test
    @DisplayName("RFC 6749 §5.2: a client without the device grant is unauthorized_client")
    void postWhenClientMayNotUseDeviceGrantThenUnauthorizedClient() throws Exception {
        serve();
        assertError(post("/device_authorization", form("client_id", "web-only")), 400, "unauthorized_client");
    }

    @Test
    @DisplayName("RFC 8628 §3.1, RFC 6749 §5.2: a scope the client may not ask for is invalid_scope")
    void postWhenScopeNotAllowedThenInvalidScope() throws Exception {
        serve();
        assertError(post("/device_authorization", form("client_id", "tv", "scope", "admin")), 400, "invalid_scope");
    }

    @Test
    @DisplayName("over maxPendingPerClient the device authorization is 429 slow_down")
    void postWhenTooManyPendingThen429SlowDown() throws Exception {
        serve(b -> b.codePolicy(CodePolicy.defaults().withMaxPendingPerClient(1)));
        assertThat(post("/device_authorization", form("client_id", "tv")).statusCode()).isEqualTo(200);
        assertError(post("/device_authorization", form("client_id", "tv")), 429, "slow_down");
    }

    // ---- the token endpoint ----

    @Test
    @DisplayName("RFC 8628 §3.4, RFC 6749 §5.2: a grant type other than device_code is unsupported_grant_type")
    void tokenWhenOtherGrantTypeThenUnsupportedGrantType() throws Exception {
        serve();
        assertError(post("/token", form("grant_type", "password", "client_id", "tv")), 400, "unsupported_grant_type");
    }

    @Test
    @DisplayName("RFC 8628 §3.4: a poll without device_code is invalid_request")
    void tokenWhenDeviceCodeMissingThenInvalidRequest() throws Exception {
        serve();
        // RFC 8628 §3.4: device_code REQUIRED
        assertError(post("/token", form("grant_type", DEVICE_CODE_GRANT, "client_id", "tv")), 400, "invalid_request");
    }

    @Test
    @DisplayName("RFC 8628 §3.5: a poll before the user decides is authorization_pending")
    void tokenWhenUndecidedThenAuthorizationPending() throws Exception {
        serve();
        String deviceCode = authorize();
        // RFC 8628 §3.5: authorization_pending while the user has not yet completed the interaction
        assertError(poll("tv", deviceCode), 400, "authorization_pending");
    }

    @Test
    @DisplayName("RFC 8628 §3.5: a poll sooner than the interval is slow_down")
    void tokenWhenPolledTooSoonThenSlowDown() throws Exception {
        serve();
        String deviceCode = authorize();
        assertError(poll("tv", deviceCode), 400, "authorization_pending");
        wiring.clock.advance(Duration.ofSeconds(1));
        // RFC 8628 §3.5: slow_down, "the interval MUST be increased by 5 seconds"
        assertError(poll("tv", deviceCode), 400, "slow_down");
    }

    @Test
    @DisplayName("RFC 8628 §3.5: a poll after the user denied is access_denied")
    void tokenWhenDeniedThenAccessDenied() throws Exception {
        serve();
        Map<String, Object> codes = issueCodes();
        assertThat(grant.verification().deny(AdapterTestGrant.TENANT, (String) codes.get("user_code"), "alice"))
                .isInstanceOf(DecisionResult.Recorded.class);
        // RFC 8628 §3.5: access_denied, "the authorization request was denied"
        assertError(poll("tv", (String) codes.get("device_code")), 400, "access_denied");
    }

    @Test
    @DisplayName("RFC 8628 §3.5: a poll after expires_in is expired_token")
    void tokenWhenCodeExpiredThenExpiredToken() throws Exception {
        serve();
        String deviceCode = authorize();
        wiring.clock.advance(Duration.ofSeconds(601));
        // RFC 8628 §3.5: expired_token, the device_code has expired
        assertError(poll("tv", deviceCode), 400, "expired_token");
    }

    @Test
    @DisplayName("an unknown device code is invalid_grant")
    void tokenWhenUnknownDeviceCodeThenInvalidGrant() throws Exception {
        serve();
        assertError(poll("tv", "never-issued"), 400, "invalid_grant");
    }

    @Test
    @DisplayName("RFC 6749 §10.5: a redeemed device code presented again is invalid_grant")
    void tokenWhenDeviceCodeReplayedThenInvalidGrant() throws Exception {
        serve();
        String deviceCode = authorizeAndApprove();
        assertThat(poll("tv", deviceCode).statusCode()).isEqualTo(200);
        wiring.clock.advance(Duration.ofSeconds(5));
        assertError(poll("tv", deviceCode), 400, "invalid_grant");
    }

    @Test
    @DisplayName("a failing token issuer is server_error 500 with no stack trace or cause on the wire")
    void tokenWhenIssuerFailsThenServerErrorWithoutStackTrace() throws Exception {
        serve(wiring.grant(b -> b, request -> {
            throw new TokenIssuanceException("signing key vault unreachable");
        }), TenantResolver.single());
        String deviceCode = authorizeAndApprove();
        HttpResponse<String> response = poll("tv", deviceCode);
        assertError(response, 500, "server_error");
        assertThat(response.body()).doesNotContain("vault", "Exception", "\tat ", "org.devicegrant");
    }

    // ---- tenants ----

    @Test
    @DisplayName("a path tenant reaches the grant as that tenant")
    void pathTenantWhenValidThenServedInThatTenant() throws Exception {
        serve(wiring.grant(b -> b), TenantResolver.pathPrefix("/orgs/"));
        assertThat(post("/orgs/acme/device_authorization", form("client_id", "acme-tv")).statusCode())
                .isEqualTo(200);
        // the default tenant's client is unknown in tenant acme
        assertError(post("/orgs/acme/device_authorization", form("client_id", "tv")), 400, "invalid_client");
    }

    @Test
    @DisplayName("a request whose path names no valid tenant is 404 and never reaches the grant")
    void pathTenantWhenInvalidThenNotFound() throws Exception {
        serve(wiring.grant(b -> b), TenantResolver.pathPrefix("/orgs/"));
        HttpResponse<String> response = post("/orgs/Acme/device_authorization", form("client_id", "acme-tv"));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEmpty();
        assertThat(post("/device_authorization", form("client_id", "tv")).statusCode()).isEqualTo(404);
    }

    // ---- the grant after the first token ----

    @Test
    @DisplayName("RFC 6749 §6, RFC 9700 §4.14.2: a refresh rotates the token; the retired one presented again revokes the grant")
    void refreshWhenRotatedThenRetiredTokenRevokesTheGrant() throws Exception {
        serve();
        Map<String, Object> tokens = json(poll("tv", authorizeAndApprove(OFFLINE)));
        String first = (String) tokens.get("refresh_token");
        assertThat(first).isNotBlank();

        HttpResponse<String> refreshed = refresh("tv", first);
        assertThat(refreshed.statusCode()).as("status of %s", refreshed.body()).isEqualTo(200);
        assertThat(refreshed.headers().firstValue("Cache-Control")).contains("no-store");
        String second = (String) json(refreshed).get("refresh_token");
        assertThat(second).isNotBlank().isNotEqualTo(first);

        // RFC 9700 §4.14.2: the retired token is reuse; the grant is revoked, so the newest fails too
        assertError(refresh("tv", first), 400, "invalid_grant");
        assertError(refresh("tv", second), 400, "invalid_grant");
    }

    @Test
    @DisplayName("RFC 7009 §2.2: a revoked refresh token is answered 200, and then refreshes nothing")
    void revocationWhenRefreshTokenRevokedThen200AndRefreshIsInvalidGrant() throws Exception {
        serve();
        String refreshToken = (String) json(poll("tv", authorizeAndApprove(OFFLINE))).get("refresh_token");

        HttpResponse<String> revoked = post("/revoke",
                form("client_id", "tv", "token", refreshToken, "token_type_hint", "refresh_token"));
        assertThat(revoked.statusCode()).as("status of %s", revoked.body()).isEqualTo(200);

        assertError(refresh("tv", refreshToken), 400, "invalid_grant");
    }

    @Test
    @DisplayName("RFC 7662 §2.2: an access token is active for an introspecting client until its grant is revoked")
    void introspectionWhenGrantRevokedThenInactive() throws Exception {
        serve();
        Map<String, Object> tokens = json(poll("tv", authorizeAndApprove(OFFLINE)));
        String accessToken = (String) tokens.get("access_token");

        HttpResponse<String> active = introspect(accessToken, "resource-server", "rs-s3cret");
        assertThat(active.statusCode()).as("status of %s", active.body()).isEqualTo(200);
        assertThat(active.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(json(active)).containsEntry("active", true).containsEntry("sub", "alice")
                .containsEntry("client_id", "tv");

        assertThat(post("/revoke", form("client_id", "tv", "token", (String) tokens.get("refresh_token")))
                .statusCode()).isEqualTo(200);

        HttpResponse<String> inactive = introspect(accessToken, "resource-server", "rs-s3cret");
        assertThat(inactive.statusCode()).isEqualTo(200);
        assertThat(json(inactive)).isEqualTo(Map.of("active", false));
    }

    @Test
    @DisplayName("RFC 7662 §2.1: a public client that only names itself is refused at introspection")
    void introspectionWhenPublicClientThenInvalidClient() throws Exception {
        serve();
        String accessToken = (String) json(poll("tv", authorizeAndApprove(OFFLINE))).get("access_token");
        HttpResponse<String> response = post("/introspect", form("client_id", "tv", "token", accessToken));
        assertThat(response.statusCode()).as("status of %s", response.body()).isIn(400, 401);
        assertThat(json(response)).containsEntry("error", "invalid_client").doesNotContainKey("active");
    }

    // ---- helpers ----

    /** A device authorization of {@code tv} for {@code openid}: the response's members. */
    private Map<String, Object> issueCodes() throws Exception {
        HttpResponse<String> response = post("/device_authorization", form("client_id", "tv", "scope", "openid"));
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response);
    }

    private String authorize() throws Exception {
        return (String) issueCodes().get("device_code");
    }

    private String authorizeAndApprove() throws Exception {
        return authorizeAndApprove(Set.of("openid"));
    }

    /** A device authorization of {@code tv} that alice approves for {@code scopes}: its device code. */
    private String authorizeAndApprove(Set<String> scopes) throws Exception {
        HttpResponse<String> response = post("/device_authorization",
                form("client_id", "tv", "scope", String.join(" ", scopes)));
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> codes = json(response);
        assertThat(grant.verification().approve(AdapterTestGrant.TENANT, (String) codes.get("user_code"), "alice",
                scopes, Map.of(), null)).isInstanceOf(DecisionResult.Recorded.class);
        wiring.clock.advance(Duration.ofSeconds(5));
        return (String) codes.get("device_code");
    }

    private HttpResponse<String> poll(String clientId, String deviceCode) throws Exception {
        return post("/token", form("grant_type", DEVICE_CODE_GRANT, "device_code", deviceCode, "client_id", clientId));
    }

    private HttpResponse<String> refresh(String clientId, String refreshToken) throws Exception {
        return post("/token", form("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId));
    }

    private HttpResponse<String> introspect(String token, String clientId, String secret) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(server.uri("/introspect")).header("Content-Type", FORM)
                .header("Authorization", "Basic " + credentials)
                .POST(HttpRequest.BodyPublishers.ofString(form("token", token))));
    }

    private HttpResponse<String> post(String path, String formBody) throws Exception {
        return post(path, FORM, formBody);
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A form of {@code length} bytes the grant serves whole: {@code client_id=tv} and, padding it,
     * an unrecognized parameter, which the grant ignores (as RFC 6749 §3.2 asks of the token endpoint).
     */
    private static byte[] paddedForm(int length) {
        String head = "client_id=tv&padding=";
        return (head + "a".repeat(length - head.length())).getBytes(StandardCharsets.US_ASCII);
    }

    private static String form(String... namesAndValues) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            body.append(body.length() == 0 ? "" : "&")
                    .append(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    private static Map<String, Object> json(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), new TypeReference<>() { });
    }

    private static void assertError(HttpResponse<String> response, int status, String error) throws IOException {
        assertError(response.statusCode(), response.headers()::firstValue, response.body(), status, error);
    }

    /** RFC 6749 §5.2: the status, a JSON body with {@code error}, never cached. */
    private static void assertError(int actualStatus, Function<String, Optional<String>> header, String body,
            int status, String error) throws IOException {
        assertThat(actualStatus).as("status of %s", body).isEqualTo(status);
        assertThat(header.apply("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(JSON.readValue(body, new TypeReference<Map<String, Object>>() { })).containsEntry("error", error);
        assertThat(header.apply("Cache-Control")).contains("no-store");
    }

    /** A response read off a raw socket; header names in lower case; the body as sent, de-chunked. */
    private record RawResponse(int status, Map<String, String> headers, String body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /**
     * Sends a HEAD request with {@code Connection: close} over a raw socket and reads every byte
     * the server sends until it closes; the body is every byte after the head.
     */
    private static RawResponse head(URI uri) throws Exception {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead("HEAD", uri, 0, true));
            out.flush();
            return parse(socket.getInputStream().readAllBytes(), true);
        }
    }

    /**
     * POSTs a form body over a raw socket and reads the response while the body is still being
     * written, as a client must when a server answers before reading the whole body and then
     * closes the connection (java.net.http gives up on the broken pipe instead).
     */
    private static RawResponse postReadingEarly(URI uri, byte[] body) throws Exception {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    out.write(requestHead("POST", uri, body.length, true));
                    out.write(body);
                    out.flush();
                } catch (IOException expected) {
                    // the server stopped reading and closed the connection: that is its right
                }
            });
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(received);
            } catch (SocketException reset) {
                // the response, if any, has been read; the reset only follows it
            }
            writer.get(30, TimeUnit.SECONDS);
            return parse(received.toByteArray(), false);
        }
    }

    /**
     * POSTs a head announcing {@code announcedLength} body bytes, then {@code sent} (fewer), and
     * then nothing while it reads one response: its head and the body its framing announces.
     */
    private static RawResponse postThenWait(URI uri, int announcedLength, byte[] sent) throws Exception {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    out.write(requestHead("POST", uri, announcedLength, false));
                    out.write(sent);
                    out.flush();
                } catch (IOException expected) {
                    // the server answered and closed the connection before it read everything sent
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!complete(received.toByteArray())) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("no complete response within 15 s to a body of which "
                            + sent.length + " of " + announcedLength + " announced bytes were sent: "
                            + "the adapter waits for more than " + sent.length + " bytes", e);
                }
                if (n < 0) {
                    break;
                }
                received.write(buffer, 0, n);
            }
            writer.cancel(true);
            return parse(received.toByteArray(), false);
        }
    }

    private static byte[] requestHead(String method, URI uri, int contentLength, boolean close) {
        return (method + " " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: " + FORM + "\r\nContent-Length: " + contentLength
                + (close ? "\r\nConnection: close" : "") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code received} holds a whole response: its head and the body it announces. */
    private static boolean complete(byte[] received) {
        String text = new String(received, StandardCharsets.ISO_8859_1);
        int endOfHead = text.indexOf("\r\n\r\n");
        if (endOfHead < 0) {
            return false;
        }
        Map<String, String> headers = headers(text.substring(0, endOfHead));
        String rest = text.substring(endOfHead + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return rest.startsWith("0\r\n\r\n") || rest.contains("\r\n0\r\n\r\n");
        }
        return rest.length() >= Integer.parseInt(headers.getOrDefault("content-length", "0"));
    }

    /**
     * Parses the bytes a server sent for one request. For a HEAD request the body is every byte
     * after the head; otherwise the body its Content-Length or chunked framing announces, or all
     * bytes up to the close.
     */
    private static RawResponse parse(byte[] received, boolean headRequest) {
        String text = new String(received, StandardCharsets.ISO_8859_1);
        int endOfHead = text.indexOf("\r\n\r\n");
        assertThat(endOfHead).as("a complete response head in %s", text).isPositive();
        String head = text.substring(0, endOfHead);
        Map<String, String> headers = headers(head);
        String rest = text.substring(endOfHead + 4);
        String body;
        if (headRequest) {
            body = rest;
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(rest);
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            assertThat(rest.length()).as("body bytes received of %s announced", length).isGreaterThanOrEqualTo(length);
            body = rest.substring(0, length);
        } else {
            body = rest;
        }
        int status = Integer.parseInt(head.split("\r\n")[0].split(" ")[1]);
        return new RawResponse(status, headers,
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    /** The header fields of a response head (its status line skipped); names in lower case, first value kept. */
    private static Map<String, String> headers(String head) {
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        return headers;
    }

    /** The content of a chunked body (RFC 9112 §7.1); chunk extensions and trailers ignored. */
    private static String dechunk(String chunked) {
        StringBuilder content = new StringBuilder();
        int at = 0;
        while (true) {
            int endOfSize = chunked.indexOf("\r\n", at);
            String size = chunked.substring(at, endOfSize);
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                return content.toString();
            }
            content.append(chunked, endOfSize + 2, endOfSize + 2 + length);
            at = endOfSize + 2 + length + 2;
        }
    }
}
