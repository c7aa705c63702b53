package org.devicegrant.http.contract;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.devicegrant.CodePolicy;
import org.devicegrant.DecisionResult;
import org.devicegrant.DeviceGrant;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.TenantResolver;
import org.devicegrant.token.TokenIssuanceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP cases every adapter passes, over real HTTP on 127.0.0.1: one full flow, and each
 * error of the core's error table once. An adapter's test extends this class and implements
 * {@link #start}. Shipped in the test-jar of {@code devicegrant-http-jdk}.
 */
public abstract class HttpAdapterContract {

    /** Paths an adapter under test mounts the device authorization endpoint at. */
    protected static final List<String> DEVICE_AUTHORIZATION_PATHS =
            List.of("/device_authorization", "/orgs/acme/device_authorization", "/orgs/Acme/device_authorization");
    /** Paths an adapter under test mounts the token endpoint at. */
    protected static final List<String> TOKEN_PATHS = List.of("/token", "/orgs/acme/token");

    private static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A running adapter under test. */
    protected interface Server extends AutoCloseable {

        /** The address of {@code path} on this server, e.g. {@code http://127.0.0.1:PORT/token}. */
        URI uri(String path);

        /** Stops the server. */
        @Override
        void close();
    }

    /**
     * Starts the adapter on 127.0.0.1 with an ephemeral port, serving {@code grant} with
     * {@code tenants}: the device authorization endpoint at every path of
     * {@link #DEVICE_AUTHORIZATION_PATHS}, the token endpoint at every path of {@link #TOKEN_PATHS}.
     * Every request body the adapter reads must pass through {@link #countingBodyBytes}.
     */
    protected abstract Server start(DeviceGrant grant, TenantResolver tenants) throws Exception;

    /**
     * Wraps a request body so that the contract learns how much of it the adapter reads. The
     * count is taken as bytes are read, since the client may see the response before the
     * server's filter chain returns.
     */
    protected final InputStream countingBodyBytes(InputStream body) {
        return new FilterInputStream(body) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    largestBodyRead.accumulateAndGet(++count, Math::max);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count += n;
                    largestBodyRead.accumulateAndGet(count, Math::max);
                }
                return n;
            }
        };
    }

    private final AtomicLong largestBodyRead = new AtomicLong();
    private final AdapterTestGrant wiring = new AdapterTestGrant();
    private DeviceGrant grant;
    private Server server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
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
    @DisplayName("D07 D25 O10: authorize, approve in-process, poll: tokens with Cache-Control no-store")
    void fullFlowWhenApprovedThenTokensNotCached() throws Exception {
        serve();
        HttpResponse<String> authorization = post("/device_authorization", form("client_id", "tv", "scope", "openid"));
        // RFC 8628 §3.2: a 200 application/json response carrying both codes
        assertThat(authorization.statusCode()).isEqualTo(200);
        assertThat(authorization.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        // RFC 6749 §5.1 (O10): the response carries a code, so Cache-Control: no-store
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
    @DisplayName("D01 O06: GET is 405 invalid_request with Allow: POST")
    void getWhenPostRequiredThen405WithAllow() throws Exception {
        serve();
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.uri("/token")).GET());
        // RFC 6749 §3.2: the client MUST use the HTTP "POST" method
        assertError(response, 405, "invalid_request");
        assertThat(response.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    @DisplayName("D01 O06: HEAD is 405 with Allow: POST and no body")
    void headWhenPostRequiredThen405WithoutBody() throws Exception {
        serve();
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.uri("/device_authorization"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("POST");
        assertThat(response.body()).isEmpty();
    }

    @Test
    @DisplayName("D01: a body that is not form-encoded is invalid_request")
    void postWhenJsonBodyThenInvalidRequest() throws Exception {
        serve();
        HttpResponse<String> response = post("/device_authorization", "application/json", "{\"client_id\":\"tv\"}");
        assertError(response, 400, "invalid_request");
    }

    @Test
    @DisplayName("SECURITY-TESTS 22: a 1 MiB body is invalid_request and the adapter reads at most 64 KiB + 1 of it")
    void postWhenBodyIsOneMebibyteThenInvalidRequestWithoutBufferingIt() throws Exception {
        serve();
        byte[] huge = ("client_id=tv&scope=" + "a".repeat(1024 * 1024)).getBytes(StandardCharsets.US_ASCII);
        RawResponse response = postReadingEarly(server.uri("/device_authorization"), huge);
        assertError(response.status(), response::header, response.body(), 400, "invalid_request");
        assertThat(largestBodyRead.get()).isGreaterThan(DeviceGrantRequest.MAX_BODY_BYTES)
                .isLessThanOrEqualTo(DeviceGrantRequest.MAX_BODY_BYTES + 1);
    }

    @Test
    @DisplayName("O07 SECURITY-TESTS 22: a repeated parameter is invalid_request")
    void postWhenParameterRepeatedThenInvalidRequest() throws Exception {
        serve();
        // RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once."
        assertError(post("/device_authorization", "client_id=tv&client_id=tv"), 400, "invalid_request");
    }

    @Test
    @DisplayName("SECURITY-TESTS 22: a bad %-escape is invalid_request")
    void postWhenBadPercentEscapeThenInvalidRequest() throws Exception {
        serve();
        assertError(post("/device_authorization", "client_id=t%zzv"), 400, "invalid_request");
    }

    // ---- client authentication and authorization ----

    @Test
    @DisplayName("D05 O13: an unknown client_id is invalid_client with 400")
    void postWhenUnknownClientThenInvalidClient400() throws Exception {
        serve();
        assertError(post("/device_authorization", form("client_id", "nobody")), 400, "invalid_client");
    }

    @Test
    @DisplayName("O12: a wrong Basic secret is invalid_client with 401 and WWW-Authenticate")
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
    @DisplayName("O13: a client without the device grant is unauthorized_client")
    void postWhenClientMayNotUseDeviceGrantThenUnauthorizedClient() throws Exception {
        serve();
        assertError(post("/device_authorization", form("client_id", "web-only")), 400, "unauthorized_client");
    }

    @Test
    @DisplayName("D03 O13: a scope the client may not ask for is invalid_scope")
    void postWhenScopeNotAllowedThenInvalidScope() throws Exception {
        serve();
        assertError(post("/device_authorization", form("client_id", "tv", "scope", "admin")), 400, "invalid_scope");
    }

    @Test
    @DisplayName("SECURITY-TESTS 17: over maxPendingPerClient the device authorization is 429 slow_down")
    void postWhenTooManyPendingThen429SlowDown() throws Exception {
        serve(b -> b.codePolicy(CodePolicy.defaults().withMaxPendingPerClient(1)));
        assertThat(post("/device_authorization", form("client_id", "tv")).statusCode()).isEqualTo(200);
        assertError(post("/device_authorization", form("client_id", "tv")), 429, "slow_down");
    }

    // ---- the token endpoint ----

    @Test
    @DisplayName("D21 O13: a grant type other than device_code is unsupported_grant_type")
    void tokenWhenOtherGrantTypeThenUnsupportedGrantType() throws Exception {
        serve();
        assertError(post("/token", form("grant_type", "password", "client_id", "tv")), 400, "unsupported_grant_type");
    }

    @Test
    @DisplayName("D22: a poll without device_code is invalid_request")
    void tokenWhenDeviceCodeMissingThenInvalidRequest() throws Exception {
        serve();
        // RFC 8628 §3.4: device_code REQUIRED
        assertError(post("/token", form("grant_type", DEVICE_CODE_GRANT, "client_id", "tv")), 400, "invalid_request");
    }

    @Test
    @DisplayName("D26: a poll before the user decides is authorization_pending")
    void tokenWhenUndecidedThenAuthorizationPending() throws Exception {
        serve();
        String deviceCode = authorize();
        // RFC 8628 §3.5: authorization_pending while the user has not yet completed the interaction
        assertError(poll("tv", deviceCode), 400, "authorization_pending");
    }

    @Test
    @DisplayName("D27: a poll sooner than the interval is slow_down")
    void tokenWhenPolledTooSoonThenSlowDown() throws Exception {
        serve();
        String deviceCode = authorize();
        assertError(poll("tv", deviceCode), 400, "authorization_pending");
        wiring.clock.advance(Duration.ofSeconds(1));
        // RFC 8628 §3.5: slow_down, "the interval MUST be increased by 5 seconds"
        assertError(poll("tv", deviceCode), 400, "slow_down");
    }

    @Test
    @DisplayName("D28: a poll after the user denied is access_denied")
    void tokenWhenDeniedThenAccessDenied() throws Exception {
        serve();
        Map<String, Object> codes = issueCodes();
        assertThat(grant.verification().deny(AdapterTestGrant.TENANT, (String) codes.get("user_code"), "alice"))
                .isInstanceOf(DecisionResult.Recorded.class);
        // RFC 8628 §3.5: access_denied, "the authorization request was denied"
        assertError(poll("tv", (String) codes.get("device_code")), 400, "access_denied");
    }

    @Test
    @DisplayName("D29: a poll after expires_in is expired_token")
    void tokenWhenCodeExpiredThenExpiredToken() throws Exception {
        serve();
        String deviceCode = authorize();
        wiring.clock.advance(Duration.ofSeconds(601));
        // RFC 8628 §3.5: expired_token, the device_code has expired
        assertError(poll("tv", deviceCode), 400, "expired_token");
    }

    @Test
    @DisplayName("SECURITY-TESTS 13: an unknown device code is invalid_grant")
    void tokenWhenUnknownDeviceCodeThenInvalidGrant() throws Exception {
        serve();
        assertError(poll("tv", "never-issued"), 400, "invalid_grant");
    }

    @Test
    @DisplayName("O16 SECURITY-TESTS 2: a redeemed device code presented again is invalid_grant")
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
        Map<String, Object> codes = issueCodes();
        assertThat(grant.verification().approve(AdapterTestGrant.TENANT, (String) codes.get("user_code"), "alice",
                Set.of("openid"), Map.of(), null)).isInstanceOf(DecisionResult.Recorded.class);
        wiring.clock.advance(Duration.ofSeconds(5));
        return (String) codes.get("device_code");
    }

    private HttpResponse<String> poll(String clientId, String deviceCode) throws Exception {
        return post("/token", form("grant_type", DEVICE_CODE_GRANT, "device_code", deviceCode, "client_id", clientId));
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

    /** A response read off a raw socket; header names in lower case. */
    private record RawResponse(int status, Map<String, String> headers, String body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
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
            String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: " + FORM + "\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
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
            return parse(received.toString(StandardCharsets.UTF_8));
        }
    }

    private static RawResponse parse(String response) {
        int endOfHead = response.indexOf("\r\n\r\n");
        assertThat(endOfHead).as("a complete response head in %s", response).isPositive();
        String[] lines = response.substring(0, endOfHead).split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        String body = response.substring(endOfHead + 4);
        int length = Integer.parseInt(headers.getOrDefault("content-length", String.valueOf(body.length())));
        return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, body.substring(0, length));
    }
}
