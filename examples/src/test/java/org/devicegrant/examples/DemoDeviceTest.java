package org.devicegrant.examples;

import org.devicegrant.DecisionResult;
import org.devicegrant.device.CancellationToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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

class DemoDeviceTest {

    private static final Pattern USER_CODE = Pattern.compile("and enter the code\\n {4}(\\S+)\\n");

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
}
