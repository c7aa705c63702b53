package org.devicegrant.examples;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.GrantType;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.devicegrant.Issuance;
import org.devicegrant.CodePolicy;
import org.devicegrant.DeviceGrant;
import org.devicegrant.Endpoints;
import org.devicegrant.Hooks;
import org.devicegrant.clientauth.ClientSecret;
import org.devicegrant.DeviceSettings;
import org.devicegrant.clientauth.InMemoryClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.TenantResolver;
import org.devicegrant.http.jdk.DeviceGrantHttpHandlers;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.storage.inmemory.InMemoryGrantStore;
import org.devicegrant.token.IssuedAccessToken;
import org.devicegrant.token.IssuedTokens;
import org.devicegrant.token.TokenIssuanceRequest;
import org.devicegrant.token.JwtTokenIssuer;
import org.devicegrant.token.TokenIssuanceException;
import org.devicegrant.token.TokenIssuer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A runnable demo identity server for the device grant: the in-memory store, the JDK HTTP
 * server on {@code 127.0.0.1}, verification pages, discovery documents and a JWK set. Start it
 * with {@code java -jar devicegrant-demo.jar --port 8080}. For trying the flow on one's own
 * machine only: fresh keys at every start, demo passwords, plain http on localhost.
 *
 * <p>Tenants: the un-scoped paths serve the default tenant; the organisations {@code acme} and
 * {@code globex} (see {@link DemoTenant}) are served under {@code /orgs/{org}}, each with its own
 * issuer, signing key, discovery documents, codes and pages, over one shared store. Also on: a
 * default device client, JSON request bodies, grants kept in one shared in-memory store (refresh
 * tokens when {@code offline_access} is approved, revocation, introspection for
 * {@value #CONFIDENTIAL_CLIENT}), linked devices with Unlink (the user's active grants), and an
 * account check at redemption and refresh (locked accounts get no tokens).
 *
 * <p>Product paths: the request paths of the products whose documentation the project follows are
 * served, each matched exactly, as aliases of the default tenant's endpoints ({@code /oauth2/device/auth},
 * {@code /oauth/device/code} and {@code /device_authorization} for device authorization;
 * {@code /oauth/token} and {@code /token} for the token endpoint); discovery names the canonical
 * {@code /oauth2/...} endpoints only. The default tenant opts in to the alias {@code grant_type=device_code}
 * for the device-code URN ({@link DeviceSettings#withDeviceCodeGrantTypeAlias}), so a poll written
 * {@code {"grantType":"device_code","clientId":...,"deviceCode":...}} works there; the organisations
 * do not opt in and answer it {@code unsupported_grant_type}.
 *
 * <p>Thread-safe once started; {@link #close()} stops it.
 */
public final class DemoServer implements AutoCloseable {

    static final String TENANT = DeviceGrantRequest.DEFAULT_TENANT;
    static final String PUBLIC_CLIENT = "demo-device";
    static final String CONFIDENTIAL_CLIENT = "demo-confidential";
    static final String CONFIDENTIAL_SECRET = "demo-secret";
    static final String TV_CLIENT = "demo-tv";
    static final Set<String> SCOPES = Set.of("openid", "profile", "email", "offline_access");
    static final String DEVICE_AUTHORIZATION_PATH = "/oauth2/device_authorization";
    static final String TOKEN_PATH = "/oauth2/token";
    static final String REVOCATION_PATH = "/oauth2/revoke";
    static final String INTROSPECTION_PATH = "/oauth2/introspect";
    static final String VERIFICATION_PATH = "/device";
    /**
     * The request paths of the products whose documentation the project follows, each an alias of
     * one of the default tenant's endpoints and matched exactly (no prefix). Discovery keeps naming
     * the canonical endpoints.
     */
    private static final Map<String, Endpoint> PRODUCT_PATHS = productPaths();
    static final int DEFAULT_PORT = 8080;
    private static final int USER_CODE_KEY_BYTES = 32;
    private static final int THREADS = 4;

    /** An endpoint a path may be an alias of. */
    private enum Endpoint {
        DEVICE_AUTHORIZATION("device authorization", Served::deviceAuthorization),
        TOKEN("token", Served::token);

        private final String label;
        private final Function<Served, HttpHandler> handler;

        Endpoint(String label, Function<Served, HttpHandler> handler) {
            this.label = label;
            this.handler = handler;
        }

        HttpHandler of(Served served) {
            return handler.apply(served);
        }
    }

    private static Map<String, Endpoint> productPaths() {
        Map<String, Endpoint> paths = new LinkedHashMap<>();
        paths.put("/oauth2/device/auth", Endpoint.DEVICE_AUTHORIZATION);
        paths.put("/oauth/device/code", Endpoint.DEVICE_AUTHORIZATION);
        paths.put("/device_authorization", Endpoint.DEVICE_AUTHORIZATION);
        paths.put("/oauth/token", Endpoint.TOKEN);
        paths.put("/token", Endpoint.TOKEN);
        return Collections.unmodifiableMap(paths);
    }

    /** What the demo serves for one tenant. */
    private record Served(DemoTenant tenant, URI issuer, DeviceGrant grant, Discovery discovery,
            VerificationPages pages, HttpHandler deviceAuthorization, HttpHandler token, HttpHandler revocation,
            HttpHandler introspection) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI issuer;
    private final Map<String, Served> tenants;
    private final DemoAccounts accounts;
    private final DemoRevocations revocations;

    private DemoServer(HttpServer server, ExecutorService executor, URI issuer, Map<String, Served> tenants,
            DemoAccounts accounts, DemoRevocations revocations) {
        this.server = server;
        this.executor = executor;
        this.issuer = issuer;
        this.tenants = Map.copyOf(tenants);
        this.accounts = accounts;
        this.revocations = revocations;
    }

    /**
     * Starts the demo server on {@code 127.0.0.1} and prints its URLs and demo accounts; or, when
     * the first argument is {@code device}, runs the demo device ({@link DemoDevice}) with the rest.
     *
     * @param args {@code --port N} (0 picks a free port; default {@value #DEFAULT_PORT}) or {@code --help};
     *             or {@code device [login|token|logout] --server URL [--client-id ID] [--scope "S1 S2"]
     *             [--token-file PATH]}
     * @throws IOException if the server cannot listen on the port
     */
    @SuppressForbidden // the composition root: the one SecureRandom every component is given
    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("device")) {
            DemoDevice.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int port;
        try {
            port = port(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (port < 0) {
            System.out.println(usage());
            return;
        }
        DemoServer server = start(port, Clock.systemUTC(), new SecureRandom());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "demo-shutdown"));
        printBanner(server, System.out);
    }

    /**
     * The port of the command line, or -1 for {@code --help}.
     *
     * @throws IllegalArgumentException an unknown argument or a port outside 0–65535
     */
    static int port(String[] args) {
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value;
            if (arg.equals("--help") || arg.equals("-h")) {
                return -1;
            } else if (arg.equals("--port") && i + 1 < args.length) {
                value = args[++i];
            } else if (arg.startsWith("--port=")) {
                value = arg.substring("--port=".length());
            } else {
                throw new IllegalArgumentException("unknown argument: " + arg);
            }
            try {
                port = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("--port must be between 0 and 65535 (0 picks a free port), was "
                        + value);
            }
        }
        return port;
    }

    static String usage() {
        return "usage: java -jar devicegrant-demo.jar [--port N]   (default " + DEFAULT_PORT
                + "; 0 picks a free port)\n"
                + "       java -jar devicegrant-demo.jar device --help   (the demo device)";
    }

    /**
     * Wires and starts a demo server: per tenant a fresh EC P-256 signing key; one user-code HMAC
     * key from {@code random}; in-memory store, attempt limiter and grant store; the demo clients
     * and users.
     *
     * @param port 0 for a free port
     */
    static DemoServer start(int port, Clock clock, SecureRandom random) throws IOException {
        return start(port, clock, random, DemoAccounts.PBKDF2_ITERATIONS);
    }

    /**
     * A demo server whose demo passwords are hashed with {@code passwordIterations} PBKDF2
     * iterations instead of {@value DemoAccounts#PBKDF2_ITERATIONS}: for tests that start many.
     */
    static DemoServer start(int port, Clock clock, SecureRandom random, int passwordIterations) throws IOException {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        URI origin = URI.create("http://localhost:" + server.getAddress().getPort());

        Map<String, JwtTokenIssuer> issuers = new LinkedHashMap<>();
        for (DemoTenant tenant : DemoTenant.all()) {
            issuers.put(tenant.id(), JwtTokenIssuer.builder()
                    .issuer(issuerOf(origin, tenant))
                    .signingKey(signingKey(random))
                    .clock(clock)
                    .random(random)
                    .build());
        }
        TokenIssuer tokenIssuer = new TenantTokenIssuer(issuers);
        byte[] userCodeKey = new byte[USER_CODE_KEY_BYTES];
        random.nextBytes(userCodeKey);
        Shared shared = new Shared(clock, random, InMemoryDeviceAuthorizationStore.create(),
                new InMemoryAttemptLimiter(), clients(), tokenIssuer, userCodeKey, InMemoryGrantStore.create(),
                DemoAccounts.standard(clock, random, passwordIterations), new DemoRevocations());

        Map<String, Served> tenants = new LinkedHashMap<>();
        for (DemoTenant tenant : DemoTenant.all()) {
            tenants.put(tenant.id(), serve(origin, tenant, issuers.get(tenant.id()), shared));
        }
        Served fallback = tenants.get(TENANT);
        server.createContext(DEVICE_AUTHORIZATION_PATH, fallback.deviceAuthorization());
        server.createContext(TOKEN_PATH, fallback.token());
        server.createContext(REVOCATION_PATH, fallback.revocation());
        server.createContext(INTROSPECTION_PATH, fallback.introspection());
        server.createContext(Discovery.JWKS, fallback.discovery());
        server.createContext(Discovery.OAUTH_METADATA, exchange -> oauthMetadata(exchange, tenants));
        server.createContext(Discovery.OPENID_CONFIGURATION, fallback.discovery());
        server.createContext(VERIFICATION_PATH, fallback.pages());
        server.createContext(DemoTenant.ORGS, exchange -> organisation(exchange, tenants));
        PRODUCT_PATHS.forEach((path, endpoint) -> server.createContext(path, exactly(path, endpoint.of(fallback))));
        server.createContext("/", exchange -> {
            if ("/".equals(exchange.getRequestURI().getPath())) {
                Pages.redirect(exchange, VERIFICATION_PATH);
            } else {
                Pages.message(exchange, 404, "Page not found", "There is no page at this address.");
            }
        });
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "demo-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new DemoServer(server, executor, origin, tenants, shared.accounts(), shared.revocations());
    }

    /** What every tenant's grant shares: one store, limiter, registry, grant store and user base, keyed by tenant. */
    private record Shared(Clock clock, SecureRandom random, DeviceAuthorizationStore store, AttemptLimiter limiter,
            InMemoryClientRegistry clients, TokenIssuer tokenIssuer, byte[] userCodeKey,
            GrantStore grants, DemoAccounts accounts, DemoRevocations revocations) {
    }

    /**
     * Each tenant's tokens are signed with its own key and carry its own issuer; an access token
     * presented in a tenant is read back by that tenant's issuer only.
     */
    private static final class TenantTokenIssuer implements TokenIssuer {

        private final Map<String, JwtTokenIssuer> issuers;

        TenantTokenIssuer(Map<String, JwtTokenIssuer> issuers) {
            this.issuers = Map.copyOf(issuers);
        }

        @Override
        public IssuedTokens issue(TokenIssuanceRequest request) {
            JwtTokenIssuer tenantIssuer = issuers.get(request.tenant());
            if (tenantIssuer == null) {
                throw new TokenIssuanceException("no token issuer for tenant " + request.tenant());
            }
            return tenantIssuer.issue(request);
        }

        @Override
        public Optional<IssuedAccessToken> inspect(String tenant, String accessToken) {
            JwtTokenIssuer tenantIssuer = issuers.get(tenant);
            return tenantIssuer == null ? Optional.empty() : tenantIssuer.inspect(tenant, accessToken);
        }
    }

    /** {@code http://localhost:PORT} for the default tenant, {@code http://localhost:PORT/orgs/{org}} for an organisation. */
    private static URI issuerOf(URI origin, DemoTenant tenant) {
        return URI.create(origin + tenant.pathPrefix());
    }

    private static Served serve(URI origin, DemoTenant tenant, JwtTokenIssuer tokens, Shared shared) {
        URI issuer = issuerOf(origin, tenant);
        URI verificationUri = URI.create(origin + tenant.verificationPath());
        Function<String, URI> verificationUriComplete =
                userCode -> URI.create(verificationUri + "?user_code=" + userCode);
        DeviceGrant grant = DeviceGrant.builder()
                .endpoints(Endpoints.of(issuer, verificationUri)
                        .withVerificationUriComplete(verificationUriComplete)
                        .withDeviceAuthorizationEndpoint(URI.create(origin + tenant.deviceAuthorizationPath()))
                        .withTokenEndpoint(URI.create(origin + tenant.tokenPath()))
                        .withRevocationEndpoint(URI.create(origin + tenant.revocationPath()))
                        .withIntrospectionEndpoint(URI.create(origin + tenant.introspectionPath()))
                        .withDefaultClientId(PUBLIC_CLIENT)
                        .withJsonBodies())
                .codePolicy(CodePolicy.defaults()
                        .withUserCodeFormat(UserCodeFormat.BASE20)
                        .withAdditionalFormats(tenant.userCodeFormat())
                        .withMaxPendingPerTenant(tenant.maxPendingPerTenant()))
                .hooks(Hooks.defaults()
                        .withDeviceRevocation(shared.revocations())
                        .withAccountCheck((tenantId, subject, clientId) -> shared.accounts().mayReceiveTokens(subject)))
                .tenantSettings(id -> id.equals(tenant.id()) ? tenant.settings() : DeviceSettings.inherit())
                .store(shared.store())
                .attemptLimiter(shared.limiter())
                .clientRegistry(shared.clients())
                .issuance(Issuance.by(shared.tokenIssuer()).withGrants(shared.grants()))
                .userCodeKey(shared.userCodeKey())
                .clock(shared.clock())
                .random(shared.random())
                .build();
        TenantResolver resolver = tenant.isOrganisation() ? TenantResolver.pathPrefix(DemoTenant.ORGS)
                : TenantResolver.single();
        Sessions sessions = new Sessions(shared.clock(), shared.random(), tenant.verificationPath());
        return new Served(tenant, issuer, grant, new Discovery(issuer, grant, tokens, SCOPES),
                new VerificationPages(grant, tenant, verificationUriComplete, sessions, shared.accounts(),
                        shared.clients()),
                DeviceGrantHttpHandlers.deviceAuthorization(grant, resolver),
                DeviceGrantHttpHandlers.token(grant, resolver),
                DeviceGrantHttpHandlers.revocation(grant, resolver),
                DeviceGrantHttpHandlers.introspection(grant, resolver));
    }

    /**
     * {@code handler} for {@code path} itself only: the JDK server matches a context by string prefix,
     * so {@code /tokenX} or {@code /token/x} would otherwise reach the handler of {@code /token}.
     */
    private static HttpHandler exactly(String path, HttpHandler handler) {
        return exchange -> {
            if (exchange.getRequestURI().getPath().equals(path)) {
                handler.handle(exchange);
            } else {
                Pages.message(exchange, 404, "Page not found", "There is no page at this address.");
            }
        };
    }

    /**
     * {@code /.well-known/oauth-authorization-server} for the default tenant and (RFC 8414 §3:
     * the well-known segment inserted between host and issuer path)
     * {@code /.well-known/oauth-authorization-server/orgs/{org}} for an organisation.
     */
    private static void oauthMetadata(HttpExchange exchange, Map<String, Served> tenants) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Served served = null;
        if (path.equals(Discovery.OAUTH_METADATA)) {
            served = tenants.get(TENANT);
        } else if (path.startsWith(Discovery.OAUTH_METADATA + DemoTenant.ORGS)) {
            String org = path.substring((Discovery.OAUTH_METADATA + DemoTenant.ORGS).length());
            Served candidate = tenants.get(org);
            served = candidate != null && candidate.tenant().isOrganisation() ? candidate : null;
        }
        if (served == null) {
            Pages.message(exchange, 404, "Page not found", "There is no page at this address.");
        } else {
            served.discovery().sendMetadata(exchange);
        }
    }

    /** Everything under {@code /orgs/{org}}; an unknown organisation is 404. */
    private static void organisation(HttpExchange exchange, Map<String, Served> tenants) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String org = TenantResolver.pathPrefix(DemoTenant.ORGS).tenant(path, null, name -> null);
        Served served = org == null ? null : tenants.get(org);
        if (served == null || !served.tenant().isOrganisation()) {
            if (path.contains("/api/")) {
                try (exchange) {
                    DeviceGrantHttpHandlers.write(TenantResolver.UNKNOWN_TENANT, exchange);
                }
            } else {
                Pages.message(exchange, 404, "Organisation not found", "There is no organisation at this address.");
            }
            return;
        }
        DemoTenant tenant = served.tenant();
        String rest = exchange.getRequestURI().getPath().substring(tenant.pathPrefix().length());
        if (rest.equals("/api/v1/oauth/device_authorization")) {
            served.deviceAuthorization().handle(exchange);
        } else if (rest.equals("/api/v1/oauth/token")) {
            served.token().handle(exchange);
        } else if (rest.equals("/api/v1/oauth/revoke")) {
            served.revocation().handle(exchange);
        } else if (rest.equals("/api/v1/oauth/introspect")) {
            served.introspection().handle(exchange);
        } else if (rest.equals(Discovery.JWKS)) {
            served.discovery().sendJwks(exchange);
        } else if (rest.equals(Discovery.OPENID_CONFIGURATION)) {
            Discovery.sendNoOpenIdConfiguration(exchange);
        } else if (rest.equals(VERIFICATION_PATH) || rest.startsWith(VERIFICATION_PATH + "/")) {
            served.pages().handle(exchange);
        } else {
            Pages.message(exchange, 404, "Page not found", "There is no page at this address.");
        }
    }

    private static ECKey signingKey(SecureRandom random) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).secureRandom(random).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("generating the EC P-256 signing key failed", e);
        }
    }

    /**
     * In every tenant: {@value #PUBLIC_CLIENT}, {@value #CONFIDENTIAL_CLIENT} (may introspect, as a
     * resource server would) and {@value #TV_CLIENT} (qr_code on).
     */
    static InMemoryClientRegistry clients() {
        InMemoryClientRegistry.Builder clients = InMemoryClientRegistry.builder();
        for (DemoTenant tenant : DemoTenant.all()) {
            clients.client(tenant.id(), OAuthClient.builder(PUBLIC_CLIENT).name("Demo device")
                            .allowedScopes(SCOPES).build())
                    .client(tenant.id(), OAuthClient.builder(CONFIDENTIAL_CLIENT).name("Demo confidential device")
                            .secret(ClientSecret.sha256(CONFIDENTIAL_SECRET)).allowedScopes(SCOPES)
                            .mayIntrospect(true).build())
                    .client(tenant.id(), OAuthClient.builder(TV_CLIENT).name("Demo TV")
                            .allowedScopes(SCOPES).deviceSettings(DeviceSettings.inherit().withQrCode(true)).build());
        }
        return clients.build();
    }

    static void printBanner(DemoServer server, PrintStream out) {
        String base = server.issuer().toString();
        out.println("devicegrant demo identity server: for trying things out on this machine only");
        out.println("  issuer                       " + base);
        out.println("  verification page            " + base + VERIFICATION_PATH);
        out.println("  device authorization (POST)  " + base + DEVICE_AUTHORIZATION_PATH);
        out.println("  token (POST)                 " + base + TOKEN_PATH);
        out.println("  revocation (POST)            " + base + REVOCATION_PATH);
        out.println("  introspection (POST)         " + base + INTROSPECTION_PATH);
        PRODUCT_PATHS.forEach((path, endpoint) -> out.println("  " + String.format(Locale.ROOT, "%-29s",
                endpoint.label + " (alias)") + base + path));
        out.println("  JWK set                      " + base + Discovery.JWKS);
        out.println("  metadata                     " + base + Discovery.OAUTH_METADATA);
        out.println("  your devices                 " + base + VERIFICATION_PATH + "/devices");
        for (DemoTenant tenant : DemoTenant.all()) {
            if (tenant.isOrganisation()) {
                out.println("  organisation " + String.format(Locale.ROOT, "%-16s", tenant.id())
                        + base + tenant.pathPrefix() + "  (" + tenant.name() + "; device authorization "
                        + tenant.deviceAuthorizationPath() + ", token " + tenant.tokenPath() + ", revocation "
                        + tenant.revocationPath() + ", introspection " + tenant.introspectionPath() + ", page "
                        + tenant.verificationPath() + ")");
            }
        }
        out.println("  users                        alice / alice, bob / bob, carol / carol (locked: no tokens)");
        out.println("  public client                " + PUBLIC_CLIENT + " (scopes: openid profile email offline_access;"
                + " the default when client_id is absent)");
        out.println("  confidential client          " + CONFIDENTIAL_CLIENT + " / " + CONFIDENTIAL_SECRET
                + " (may introspect)");
        out.println("  public client with qr_code   " + TV_CLIENT);
        out.println("  grant_type=device_code       accepted by the default tenant (an opt-in alias of "
                + GrantType.DEVICE_CODE.getValue() + "); the organisations refuse it");
        out.println("  listening on                 127.0.0.1:" + server.port());
        out.println("Try: curl -d client_id=" + PUBLIC_CLIENT + " -d 'scope=openid profile' " + base
                + DEVICE_AUTHORIZATION_PATH);
        out.println("Stop with Ctrl+C.");
        out.flush();
    }

    /** The port the server listens on. */
    int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://localhost:PORT}. */
    URI issuer() {
        return issuer;
    }

    /** The default tenant's grant. */
    DeviceGrant grant() {
        return grant(TENANT);
    }

    /**
     * A tenant's grant.
     *
     * @throws IllegalArgumentException no such tenant
     */
    DeviceGrant grant(String tenant) {
        Served served = tenants.get(tenant);
        if (served == null) {
            throw new IllegalArgumentException("no tenant " + tenant);
        }
        return served.grant();
    }

    DemoAccounts accounts() {
        return accounts;
    }

    DemoRevocations revocations() {
        return revocations;
    }

    /** Stops accepting requests and closes open exchanges, then stops the threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
