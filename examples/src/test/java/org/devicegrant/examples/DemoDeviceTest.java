package org.devicegrant.examples;

import com.sun.net.httpserver.HttpServer;
import org.devicegrant.DecisionResult;
import org.devicegrant.device.CachedTokens;
import org.devicegrant.device.CancellationToken;
import org.devicegrant.device.TokenCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The demo device against a demo server started in-process, sharing its
 * {@link org.devicegrant.storage.tck.MutableClock}: signing in without a subcommand, {@code login},
 * {@code token} and {@code logout}, and the command line.
 */
class DemoDeviceTest {

    private static final Pattern USER_CODE = Pattern.compile("and enter the code\\n {4}(\\S+)\\n");
    private static final Set<String> OFFLINE = Set.of("openid", "profile", "offline_access");

    private final DemoHttp demo = new DemoHttp();
    private final GatedSleeper sleeper = new GatedSleeper(demo.clock);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    @TempDir
    Path configHome;
    private final CancellationToken cancel = new CancellationToken();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    /** How one command ended: its exit code and everything it wrote. */
    private record Run(int exit, String out, String err) {
    }

    @AfterEach
    void stop() {
        sleeper.release();
        cancel.cancel();
        thread.shutdownNow();
        demo.close();
    }

    @Test
    @DisplayName("D18 D19: run when approved then shows URL, code and QR, polls, prints claims and exits 0")
    void runWhenApprovedThenPrintsClaimsAndExitsZero() throws Exception {
        Future<Integer> exit = startDevice("openid profile");
        sleeper.awaitHeldAfterFirstPoll();
        String userCode = userCode();

        DecisionResult decision = demo.server.grant().verification().approve(DemoServer.TENANT, userCode, "alice",
                Set.of("openid", "profile"), Map.of("name", "Alice Example"), null);
        sleeper.release();

        assertThat(decision).isInstanceOf(DecisionResult.Recorded.class);
        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(DemoDevice.EXIT_OK);
        String shown = output();
        // RFC 8628 §3.3.1: the verification_uri (D18) and user_code (D19) are shown as text beside the QR code
        assertThat(shown).contains("visit\n    " + demo.server.issuer() + "/device\n")
                .contains("or scan this QR code").contains("▀")
                .contains("Poll 1: waiting for you to approve; next check in 5 s")
                .contains("Access token claims:").contains("ID token claims:")
                .contains("\"sub\" : \"alice\"").contains("\"client_id\" : \"demo-device\"")
                .contains("\"name\" : \"Alice Example\"");
        // the tokens themselves are never printed: a compact JWT starts with the base64url of {"
        assertThat(shown).doesNotContain("eyJ");
    }

    @Test
    @DisplayName("D28: run when denied then says so and exits with the denied code")
    void runWhenDeniedThenMessageAndExitDenied() throws Exception {
        Future<Integer> exit = startDevice("openid");
        sleeper.awaitHeldAfterFirstPoll();

        demo.server.grant().verification().deny(DemoServer.TENANT, userCode(), "alice");
        sleeper.release();

        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(DemoDevice.EXIT_DENIED).isNotZero();
        assertThat(output()).contains("Access denied: the request was declined").doesNotContain("claims");
    }

    @Test
    @DisplayName("D29: run when the code expires then says so, exits with the expired code and does not restart")
    void runWhenCodeExpiresThenMessageAndExitExpired() throws Exception {
        Future<Integer> exit = startDevice("openid");
        sleeper.awaitHeldAfterFirstPoll();

        demo.clock.advance(Duration.ofMinutes(11));
        sleeper.release();

        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(DemoDevice.EXIT_EXPIRED);
        assertThat(output()).contains("The code expired before it was approved")
                .containsOnlyOnce("and enter the code");
    }

    @Test
    void runWhenCancelledThenStopsWithoutTokensAndExitCancelled() throws Exception {
        Future<Integer> exit = startDevice("openid");
        sleeper.awaitHeldAfterFirstPoll();

        cancel.cancel();
        sleeper.release();

        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(DemoDevice.EXIT_CANCELLED);
        assertThat(output()).endsWith("Cancelled.\n");
    }

    @Test
    void runWhenServerUnreachableThenFailsWithExitOne() {
        int port = demo.server.port();
        demo.close();
        DemoDevice device = device();

        int exit = device.run(new DemoDevice.Options(URI.create("http://127.0.0.1:" + port), DemoServer.PUBLIC_CLIENT,
                List.of("openid")), cancel);

        assertThat(exit).isEqualTo(DemoDevice.EXIT_FAILED);
        assertThat(output()).startsWith("Sign-in failed: could not reach the device authorization endpoint");
    }

    @Test
    void runWhenClientUnknownThenFailsNamingTheOAuthError() {
        DemoDevice device = device();

        int exit = device.run(new DemoDevice.Options(URI.create(demo.base), "nobody", List.of("openid")), cancel);

        assertThat(exit).isEqualTo(DemoDevice.EXIT_FAILED);
        assertThat(output()).contains("Sign-in failed: the device authorization endpoint refused: invalid_client");
    }

    @Test
    @DisplayName("D04: run when the server is plain http on another host then refuses before any request")
    void runWhenServerNotHttpsAndNotLoopbackThenUsageExitNamingTheRule() {
        DemoDevice device = device();

        int exit = device.run(new DemoDevice.Options(URI.create("http://devicegrant.invalid"),
                DemoServer.PUBLIC_CLIENT, List.of("openid")), cancel);

        assertThat(exit).isEqualTo(DemoDevice.EXIT_USAGE);
        // D04 RFC 8628 §3.1: requests from the device use TLS; the client allows plain http on loopback only
        assertThat(output()).startsWith("Cannot start: deviceAuthorizationEndpoint must use https");
        assertThat(sleeper.sleeps()).isZero();
    }

    @Test
    void optionsWhenOnlyServerGivenThenDefaultsAndTrailingSlashDropped() {
        DemoDevice.Options options = DemoDevice.Options.parse(new String[] {"--server", "http://localhost:8080/"});

        assertThat(options.command()).isEqualTo(DemoDevice.Command.SIGN_IN);
        assertThat(options.server()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(options.clientId()).isEqualTo("demo-device");
        assertThat(options.scope()).containsExactly("openid", "profile");
        assertThat(options.tokenFile()).isNull();
    }

    @Test
    void optionsWhenAllGivenThenParsedInBothSpellings() {
        DemoDevice.Options options = DemoDevice.Options.parse(new String[] {
            "--server=http://127.0.0.1:9000", "--client-id", "tv", "--scope", "  openid   email "});

        assertThat(options.server()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(options.clientId()).isEqualTo("tv");
        assertThat(options.scope()).containsExactly("openid", "email");
        assertThat(DemoDevice.Options.parse(new String[] {"--help"})).isNull();
        assertThat(DemoDevice.Options.parse(new String[] {"logout", "-h"})).isNull();
    }

    @Test
    void optionsWhenLoginThenAsksForOfflineAccessByDefault() {
        DemoDevice.Options login = DemoDevice.Options.parse(new String[] {"login", "--server", "http://localhost:8080"});
        DemoDevice.Options narrower = DemoDevice.Options.parse(new String[] {
            "login", "--server", "http://localhost:8080", "--scope", "openid", "--token-file=t/tokens"});

        assertThat(login.command()).isEqualTo(DemoDevice.Command.LOGIN);
        assertThat(login.scope()).containsExactly("openid", "profile", "offline_access");
        assertThat(login.tokenFile()).isNull();
        assertThat(narrower.scope()).containsExactly("openid");
        assertThat(narrower.tokenFile()).isEqualTo(Path.of("t/tokens"));
    }

    @Test
    void optionsWhenTokenOrLogoutThenNoScope() {
        assertThat(DemoDevice.Options.parse(new String[] {"token", "--server", "http://h"}))
                .returns(DemoDevice.Command.TOKEN, DemoDevice.Options::command)
                .returns(List.of(), DemoDevice.Options::scope);
        assertThat(DemoDevice.Options.parse(new String[] {"logout", "--server", "http://h", "--client-id", "tv"}))
                .returns(DemoDevice.Command.LOGOUT, DemoDevice.Options::command)
                .returns("tv", DemoDevice.Options::clientId);
    }

    @Test
    void optionsWhenSubcommandAfterTheOptionsThenParsedAlike() {
        assertThat(DemoDevice.Options.parse(new String[] {"--server", "http://h", "logout"}))
                .isEqualTo(DemoDevice.Options.parse(new String[] {"logout", "--server", "http://h"}));
        assertThat(DemoDevice.Options.parse(new String[] {"--server=http://h", "login", "--scope", "openid"}))
                .returns(DemoDevice.Command.LOGIN, DemoDevice.Options::command)
                .returns(List.of("openid"), DemoDevice.Options::scope);
    }

    @Test
    void optionsWhenMissingOrUnknownThenRejectedNamingTheArgument() {
        assertThatIllegalArgumentException().isThrownBy(() -> DemoDevice.Options.parse(new String[0]))
                .withMessage("--server is required, e.g. --server http://localhost:8080");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DemoDevice.Options.parse(new String[] {"--server", "x", "--port", "1"}))
                .withMessage("unknown argument: --port");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoDevice.Options.parse(new String[] {"--server"}))
                .withMessage("--server needs a value");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DemoDevice.Options.parse(new String[] {"--server", "localhost"}))
                .withMessage("--server must be a URL such as http://localhost:8080, was localhost");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DemoDevice.Options.parse(new String[] {"--server", "http://h", "--scope", " "}))
                .withMessageStartingWith("--scope must name at least one scope");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "signin --server http://h | unknown subcommand: signin (login, token or logout)",
        "token | --server is required, e.g. --server http://localhost:8080",
        "token --server http://h --scope openid | --scope is for signing in (login, or no subcommand), not for token",
        "logout --server http://h --scope openid | --scope is for signing in (login, or no subcommand), not for logout",
        "--server http://h --token-file t | --token-file is for login, token and logout; without a subcommand the device keeps no tokens",
        "login --server http://h --token-file= | --token-file must be a file path, was \"\"",
        "token --server http://h login | unknown argument: login",
    })
    void runWhenBadArgumentsThenExitTwoNamingTheArgumentWithTheUsage(String args, String message) {
        int exit = device().run(args.split(" "), cancel);

        assertThat(exit).isEqualTo(DemoDevice.EXIT_USAGE);
        assertThat(errors()).startsWith(message + "\n").contains(DemoDevice.usage());
        assertThat(output()).isEmpty();
    }

    @Test
    void runWhenHelpThenUsageOnStandardOutputAndExitZero() {
        assertThat(device().run(new String[] {"token", "--help"}, cancel)).isEqualTo(DemoDevice.EXIT_OK);

        assertThat(output()).isEqualTo(DemoDevice.usage() + "\n");
        assertThat(errors()).isEmpty();
    }

    @Test
    void usageWhenPrintedThenListsTheSubcommandsAndDistinctExitCodes() {
        assertThat(DemoDevice.usage()).contains("\n  login ", "\n  token ", "\n  logout ", "offline_access",
                "--token-file PATH", "$XDG_CONFIG_HOME/devicegrant/tokens/", "~/.config")
                .contains("0 done", "1 failed", "2 bad arguments", "3 denied", "4 code expired", "5 not signed in",
                        "6 sign in again", "130 cancelled");
        assertThat(Set.of(DemoDevice.EXIT_OK, DemoDevice.EXIT_FAILED, DemoDevice.EXIT_USAGE, DemoDevice.EXIT_DENIED,
                DemoDevice.EXIT_EXPIRED, DemoDevice.EXIT_NOT_SIGNED_IN, DemoDevice.EXIT_REAUTHORIZE,
                DemoDevice.EXIT_CANCELLED)).hasSize(8);
    }

    @Test
    void tokenFileWhenNotGivenThenTheServerAndClientFileInTheConfigHome() {
        DemoDevice.Options options = DemoDevice.Options.parse(new String[] {"token", "--server", "http://h:1"});
        DemoDevice.Options given = DemoDevice.Options.parse(new String[] {
            "token", "--server", "http://h:1", "--token-file", "/tmp/t"});

        assertThat(device().tokenFile(options))
                .isEqualTo(TokenFileLocation.tokenFile(configHome, URI.create("http://h:1"), "demo-device"));
        assertThat(device().tokenFile(given)).isEqualTo(Path.of("/tmp/t"));
    }

    @Test
    @DisplayName("login saves the tokens to a file only the user can read, in a directory only the user can open, and prints no token")
    void loginWhenApprovedThenOwnerOnlyTokenFileAndNoTokenPrinted() throws Exception {
        Run login = login(OFFLINE);

        assertThat(login.exit()).as(login.err()).isEqualTo(DemoDevice.EXIT_OK);
        Path file = defaultTokenFile();
        CachedTokens saved = TokenCache.file(file).load().orElseThrow();
        assertThat(saved.refreshToken()).isNotNull();
        assertThat(saved.scope()).containsExactlyInAnyOrderElementsOf(OFFLINE);
        assertThat(saved.expiresAt()).isEqualTo(demo.clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(login.out()).contains("Signed in as alice. Scope offline_access openid profile; the access token"
                + " expires in 10 min.\n",
                "A refresh token was issued", "Tokens saved to " + file + " (readable only by you).\n");
        assertThat(login.err()).isEmpty();
        assertThat(login.out() + login.err()).doesNotContain(saved.accessToken()).doesNotContain(saved.refreshToken())
                .doesNotContain("eyJ");
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).as("POSIX permissions").contains("posix");
        assertThat(permissions(file)).isEqualTo("rw-------");
        assertThat(permissions(file.getParent())).isEqualTo("rwx------");
        assertThat(permissions(configHome.resolve("devicegrant"))).isEqualTo("rwx------");
    }

    @Test
    void loginWhenTokenFileGivenThenSavedThereOnly() throws Exception {
        Path file = configHome.resolve("elsewhere/tokens");

        Run login = login(OFFLINE, "--token-file", file.toString());

        assertThat(login.exit()).isEqualTo(DemoDevice.EXIT_OK);
        assertThat(TokenCache.file(file).load()).isPresent();
        assertThat(defaultTokenFile()).doesNotExist();
    }

    @Test
    void tokenWhenSignedInThenPrintsOnlyTheAccessTokenOnStandardOutput() throws Exception {
        login(OFFLINE);
        CachedTokens saved = TokenCache.file(defaultTokenFile()).load().orElseThrow();

        Run token = run("token");

        assertThat(token.exit()).isEqualTo(DemoDevice.EXIT_OK);
        assertThat(token.out()).isEqualTo(saved.accessToken() + "\n");
        assertThat(token.err()).isEmpty();
        assertThat(demo.introspect(DemoServer.INTROSPECTION_PATH, token.out().strip())).containsEntry("active", true)
                .containsEntry("sub", "alice");
    }

    @Test
    @DisplayName("RFC 6749 §6, RFC 9700 §4.14.2: token within a minute of expiry refreshes and saves the rotated refresh token first")
    void tokenWhenAboutToExpireThenRefreshesAndSavesTheRotatedRefreshToken() throws Exception {
        login(OFFLINE);
        Path file = defaultTokenFile();
        CachedTokens before = TokenCache.file(file).load().orElseThrow();
        demo.clock.advance(Duration.ofMinutes(9).plusSeconds(1));

        Run token = run("token");

        assertThat(token.exit()).as(token.err()).isEqualTo(DemoDevice.EXIT_OK);
        CachedTokens after = TokenCache.file(file).load().orElseThrow();
        assertThat(token.out()).isEqualTo(after.accessToken() + "\n").isNotEqualTo(before.accessToken() + "\n");
        assertThat(after.refreshToken()).isNotEqualTo(before.refreshToken());
        assertThat(after.expiresAt()).isEqualTo(demo.clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(demo.introspect(DemoServer.INTROSPECTION_PATH, after.accessToken())).containsEntry("active", true);
        // the saved refresh token is the newest: a second refresh with it succeeds
        assertThat(demo.refresh(DemoServer.TOKEN_PATH, after.refreshToken()).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("RFC 7009 §2.1: logout revokes the grant (the refresh fails, introspection says inactive) and deletes the file")
    void logoutWhenSignedInThenRevokesTheGrantAndDeletesTheFile() throws Exception {
        login(OFFLINE);
        Path file = defaultTokenFile();
        CachedTokens saved = TokenCache.file(file).load().orElseThrow();

        Run logout = run("logout");

        assertThat(logout.exit()).as(logout.err()).isEqualTo(DemoDevice.EXIT_OK);
        assertThat(logout.out()).isEqualTo("Signed out: the server revoked this device's sign-in, and " + file
                + " is deleted.\n");
        assertThat(file).doesNotExist();
        assertThat(demo.introspect(DemoServer.INTROSPECTION_PATH, saved.accessToken()))
                .isEqualTo(Map.of("active", false));
        HttpResponse<String> refresh = demo.refresh(DemoServer.TOKEN_PATH, saved.refreshToken());
        assertThat(DemoHttp.json(refresh.body())).containsEntry("error", "invalid_grant");
        // and signed out, the device says so
        assertThat(run("token").exit()).isEqualTo(DemoDevice.EXIT_NOT_SIGNED_IN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "logout"})
    void commandWhenNotSignedInThenOneLineNamingTheFileAndExitNotSignedIn(String command) {
        Run run = run(command);

        assertThat(run.exit()).isEqualTo(DemoDevice.EXIT_NOT_SIGNED_IN);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("Not signed in to " + demo.server.issuer() + " as demo-device (no tokens in "
                + defaultTokenFile() + ")").hasLineCount(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unlink", "revoke"})
    @DisplayName("token after Unlink on \"Your devices\" or revocation of the refresh token: invalid_grant, exit 'sign in again'")
    void tokenWhenGrantRevokedThenExitReauthorize(String how) throws Exception {
        login(OFFLINE);
        CachedTokens saved = TokenCache.file(defaultTokenFile()).load().orElseThrow();
        if (how.equals("unlink")) {
            unlinkTheDevice();
        } else {
            assertThat(demo.devicePost(DemoServer.REVOCATION_PATH, "client_id", DemoServer.PUBLIC_CLIENT,
                    "token", saved.refreshToken(), "token_type_hint", "refresh_token").statusCode()).isEqualTo(200);
        }
        demo.clock.advance(Duration.ofMinutes(10));

        Run token = run("token");

        assertThat(token.exit()).isEqualTo(DemoDevice.EXIT_REAUTHORIZE);
        assertThat(token.out()).isEmpty();
        assertThat(token.err()).startsWith("Sign in again: the server no longer accepts this device's sign-in")
                .endsWith("Run: java -jar devicegrant-demo.jar device login --server " + demo.server.issuer() + "\n")
                .hasLineCount(1);
    }

    @Test
    void tokenWhenNoRefreshTokenAndExpiredThenExitReauthorize() throws Exception {
        Run login = login(Set.of("openid"), "--scope", "openid");
        assertThat(login.out()).contains("No refresh token was issued");
        demo.clock.advance(Duration.ofMinutes(10));

        Run token = run("token");

        assertThat(token.exit()).isEqualTo(DemoDevice.EXIT_REAUTHORIZE);
        assertThat(token.err()).contains("the access token expired and there is no refresh token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "logout"})
    void commandWhenServerUnreachableThenOneLineExitOneAndTokensKept(String command) throws Exception {
        login(OFFLINE);
        Path file = defaultTokenFile();
        CachedTokens saved = TokenCache.file(file).load().orElseThrow();
        demo.close();
        demo.clock.advance(Duration.ofMinutes(10));

        Run run = run(command);

        assertThat(run.exit()).isEqualTo(DemoDevice.EXIT_FAILED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("could not reach the").hasLineCount(1).doesNotContain("Exception");
        assertThat(TokenCache.file(file).load()).contains(saved);
    }

    @ParameterizedTest
    @ValueSource(strings = {"login", "token", "logout"})
    @DisplayName("RFC 6749 §5.2: server_error from the server is one line and exit 1, never a stack trace; the tokens are kept")
    void commandWhenServerErrorThenOneLineExitOneAndTokensKept(String command) throws Exception {
        HttpServer failing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        failing.createContext("/", exchange -> {
            byte[] body = "{\"error\":\"server_error\",\"error_description\":\"the store is down\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(500, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        failing.start();
        try {
            Path file = configHome.resolve("elsewhere/tokens");
            CachedTokens expired = new CachedTokens("access-token-value", "Bearer", demo.clock.instant(),
                    "refresh-token-value", null, Set.of("openid"));
            TokenCache.file(file).save(expired);

            Run run = run(command, "--server", "http://127.0.0.1:" + failing.getAddress().getPort(),
                    "--token-file", file.toString());

            assertThat(run.exit()).isEqualTo(DemoDevice.EXIT_FAILED);
            assertThat(run.err()).contains("server_error").contains("the store is down").hasLineCount(1)
                    .doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(run.out()).doesNotContain("access-token-value");
            assertThat(TokenCache.file(file).load()).contains(expired);
        } finally {
            failing.stop(0);
        }
    }

    @Test
    void tokenWhenTheTokenFileIsNotATokenFileThenOneLineAndExitOne() throws Exception {
        Path file = configHome.resolve("not-tokens");
        Files.writeString(file, "not tokens");

        Run token = run("token", "--server", demo.server.issuer().toString(), "--token-file", file.toString());

        assertThat(token.exit()).isEqualTo(DemoDevice.EXIT_FAILED);
        assertThat(token.err()).isEqualTo("No token: the token file " + file.toAbsolutePath().normalize()
                + " is not a devicegrant-tokens-1 file; sign in again\n");
    }

    // ---- helpers ----

    private Future<Integer> startDevice(String scope) {
        DemoDevice device = device();
        DemoDevice.Options options = DemoDevice.Options.parse(new String[] {
            "--server", demo.server.issuer().toString(), "--scope", scope});
        return thread.submit(() -> device.run(options, cancel));
    }

    private String userCode() {
        Matcher m = USER_CODE.matcher(output());
        assertThat(m.find()).as("the device shows its user code:\n%s", output()).isTrue();
        return m.group(1);
    }

    private DemoDevice device() {
        return new DemoDevice(out, err, demo.clock, sleeper, configHome);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private String errors() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    /** {@code device login} approved by alice with {@code approved}; the default server and extra arguments. */
    private Run login(Set<String> approved, String... extra) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DemoDevice device = device(out, err);
        String[] args = arguments("login", extra);
        Future<Integer> exit = thread.submit(() -> device.run(args, cancel));
        sleeper.awaitHeldAfterFirstPoll();
        Matcher code = USER_CODE.matcher(out.toString(StandardCharsets.UTF_8));
        assertThat(code.find()).as("the device shows its user code:\n%s", out).isTrue();

        DecisionResult decision = demo.server.grant().verification().approve(DemoServer.TENANT, code.group(1), "alice",
                approved, Map.of("name", "Alice Example"), null);
        sleeper.release();

        assertThat(decision).isInstanceOf(DecisionResult.Recorded.class);
        return new Run(exit.get(20, TimeUnit.SECONDS), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** {@code command} with the default server, unless {@code extra} names one. */
    private Run run(String command, String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = device(out, err).run(arguments(command, extra), cancel);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String[] arguments(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command));
        if (!Arrays.asList(extra).contains("--server")) {
            args.addAll(List.of("--server", demo.server.issuer().toString()));
        }
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private DemoDevice device(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new DemoDevice(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), demo.clock, sleeper, configHome);
    }

    private Path defaultTokenFile() {
        return TokenFileLocation.tokenFile(configHome, demo.server.issuer(), DemoServer.PUBLIC_CLIENT);
    }

    /** alice unlinks her only device on "Your devices". */
    private void unlinkTheDevice() {
        DemoHttp.Browser alice = demo.browser();
        alice.signIn("alice", "alice");
        HttpResponse<String> devices = alice.get("/device/devices");
        HttpResponse<String> unlinked = alice.post("/device/devices", "csrf", alice.csrf(devices),
                "authorization_id", DemoHttp.hidden(devices.body(), "authorization_id"));
        assertThat(unlinked.body()).contains("Device unlinked.");
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
