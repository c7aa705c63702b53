package org.devicegrant.examples;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import org.devicegrant.DeviceGrant;
import org.devicegrant.client.ClientSecret;
import org.devicegrant.client.InMemoryClientRegistry;
import org.devicegrant.client.RegisteredClient;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.TenantResolver;
import org.devicegrant.http.jdk.DeviceGrantHttpHandlers;
import org.devicegrant.storage.memory.InMemoryAttemptLimiter;
import org.devicegrant.storage.memory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.token.JwtTokenIssuer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
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
 * <p>Thread-safe once started; {@link #close()} stops it.
 */
public final class DemoServer implements AutoCloseable {

    static final String TENANT = DeviceGrantRequest.DEFAULT_TENANT;
    static final String PUBLIC_CLIENT = "demo-device";
    static final String CONFIDENTIAL_CLIENT = "demo-confidential";
    static final String CONFIDENTIAL_SECRET = "demo-secret";
    static final Set<String> SCOPES = Set.of("openid", "profile", "email", "offline_access");
    static final String DEVICE_AUTHORIZATION_PATH = "/oauth2/device_authorization";
    static final String TOKEN_PATH = "/oauth2/token";
    static final String VERIFICATION_PATH = "/device";
    static final int DEFAULT_PORT = 8080;
    private static final int USER_CODE_KEY_BYTES = 32;
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI issuer;
    private final DeviceGrant grant;

    private DemoServer(HttpServer server, ExecutorService executor, URI issuer, DeviceGrant grant) {
        this.server = server;
        this.executor = executor;
        this.issuer = issuer;
        this.grant = grant;
    }

    /**
     * Starts the demo server on {@code 127.0.0.1} and prints its URLs and demo accounts.
     *
     * @param args {@code --port N} (0 picks a free port; default {@value #DEFAULT_PORT}) or {@code --help}
     */
    @SuppressForbidden // the composition root: the one SecureRandom every component is given
    public static void main(String[] args) throws IOException {
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
                + "; 0 picks a free port)";
    }

    /**
     * Wires and starts a demo server: a fresh EC P-256 signing key and user-code HMAC key from
     * {@code random}, in-memory store and attempt limiter, the demo clients and users.
     *
     * @param port 0 for a free port
     */
    static DemoServer start(int port, Clock clock, SecureRandom random) throws IOException {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        URI issuer = URI.create("http://localhost:" + server.getAddress().getPort());
        URI verificationUri = URI.create(issuer + VERIFICATION_PATH);
        Function<String, URI> verificationUriComplete =
                userCode -> URI.create(verificationUri + "?user_code=" + userCode);

        JwtTokenIssuer tokens = JwtTokenIssuer.builder()
                .issuer(issuer)
                .signingKey(signingKey(random))
                .clock(clock)
                .random(random)
                .build();
        byte[] userCodeKey = new byte[USER_CODE_KEY_BYTES];
        random.nextBytes(userCodeKey);
        DeviceGrant grant = DeviceGrant.builder()
                .issuer(issuer)
                .verificationUri(verificationUri)
                .verificationUriComplete(verificationUriComplete)
                .store(InMemoryDeviceAuthorizationStore.create())
                .attemptLimiter(new InMemoryAttemptLimiter())
                .clientRegistry(clients())
                .tokenIssuer(tokens)
                .clock(clock)
                .random(random)
                .userCodeFormat(UserCodeFormat.BASE20)
                .userCodeKey(userCodeKey)
                .build();

        Sessions sessions = new Sessions(clock, random);
        VerificationPages pages = new VerificationPages(grant, TENANT, UserCodeFormat.BASE20, verificationUriComplete,
                sessions, DemoAccounts.standard());
        Discovery discovery = new Discovery(issuer, grant, tokens, SCOPES);
        server.createContext(DEVICE_AUTHORIZATION_PATH,
                DeviceGrantHttpHandlers.deviceAuthorization(grant, TenantResolver.single()));
        server.createContext(TOKEN_PATH, DeviceGrantHttpHandlers.token(grant, TenantResolver.single()));
        server.createContext(Discovery.JWKS, discovery);
        server.createContext(Discovery.OAUTH_METADATA, discovery);
        server.createContext(Discovery.OPENID_CONFIGURATION, discovery);
        server.createContext(VERIFICATION_PATH, pages);
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
        return new DemoServer(server, executor, issuer, grant);
    }

    private static ECKey signingKey(SecureRandom random) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).secureRandom(random).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("generating the EC P-256 signing key failed", e);
        }
    }

    static InMemoryClientRegistry clients() {
        return InMemoryClientRegistry.builder()
                .client(TENANT, RegisteredClient.builder(PUBLIC_CLIENT).name("Demo device")
                        .allowedScopes(SCOPES).build())
                .client(TENANT, RegisteredClient.builder(CONFIDENTIAL_CLIENT).name("Demo confidential device")
                        .secret(ClientSecret.sha256(CONFIDENTIAL_SECRET)).allowedScopes(SCOPES).build())
                .build();
    }

    static void printBanner(DemoServer server, PrintStream out) {
        String base = server.issuer().toString();
        out.println("devicegrant demo identity server: for trying things out on this machine only");
        out.println("  issuer                       " + base);
        out.println("  verification page            " + base + VERIFICATION_PATH);
        out.println("  device authorization (POST)  " + base + DEVICE_AUTHORIZATION_PATH);
        out.println("  token (POST)                 " + base + TOKEN_PATH);
        out.println("  JWK set                      " + base + Discovery.JWKS);
        out.println("  metadata                     " + base + Discovery.OAUTH_METADATA);
        out.println("                               " + base + Discovery.OPENID_CONFIGURATION);
        out.println("  users                        alice / alice, bob / bob");
        out.println("  public client                " + PUBLIC_CLIENT + " (scopes: openid profile email offline_access)");
        out.println("  confidential client          " + CONFIDENTIAL_CLIENT + " / " + CONFIDENTIAL_SECRET);
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

    DeviceGrant grant() {
        return grant;
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
