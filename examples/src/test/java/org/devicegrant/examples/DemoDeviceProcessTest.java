package org.devicegrant.examples;

import org.devicegrant.DecisionResult;
import org.devicegrant.device.CachedTokens;
import org.devicegrant.device.TokenCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device as a user runs it: {@code DemoServer device ...} in a child JVM, with the real
 * clock, environment and exit status, against a demo server in this JVM (on the system clock, so
 * that the child's real five-second poll interval is five seconds for the server too).
 */
class DemoDeviceProcessTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Pattern USER_CODE = Pattern.compile("and enter the code\\R {4}(\\S+)\\R");
    private static final String DEBUG = "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug";

    @TempDir
    Path home;
    private DemoServer server;
    private int children;

    /** How a child ended. */
    private record Exit(int status, String out, String err) {
    }

    @BeforeEach
    void start() throws IOException {
        server = DemoServer.start(0, Clock.systemUTC(), new SecureRandom());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    @DisplayName("login, token, logout in child JVMs: exit statuses, the token alone on stdout, no token in the debug log on stderr")
    void loginTokenLogoutWhenRunAsProcessesThenExitStatusesAndNoTokenInTheLog() throws Exception {
        Path config = home.resolve("config");
        Path file = TokenFileLocation.tokenFile(config, server.issuer(), DemoServer.PUBLIC_CLIENT);

        Child login = start(List.of(DEBUG), "login", "--server", server.issuer().toString());
        String userCode = awaitUserCode(login);
        DecisionResult decision = server.grant().verification().approve(DemoServer.TENANT, userCode, "alice",
                Set.of("openid", "profile", "offline_access"), Map.of(), null);
        assertThat(decision).isInstanceOf(DecisionResult.Recorded.class);
        Exit signedIn = finish(login);

        assertThat(signedIn.status()).as(signedIn.err()).isEqualTo(DemoDevice.EXIT_OK);
        assertThat(signedIn.out()).contains("Tokens saved to " + file);
        CachedTokens tokens = TokenCache.file(file).load().orElseThrow();
        // the child logged at DEBUG, and still no token, no user code
        assertThat(signedIn.err()).contains("DEBUG org.devicegrant.device.FileTokenCache - tokens saved to " + file)
                .doesNotContain(tokens.accessToken()).doesNotContain(tokens.refreshToken()).doesNotContain(userCode)
                .doesNotContain("eyJ");

        Exit token = run(List.of(DEBUG), "token", "--server", server.issuer().toString());

        assertThat(token.status()).as(token.err()).isEqualTo(DemoDevice.EXIT_OK);
        assertThat(token.out()).isEqualTo(tokens.accessToken() + System.lineSeparator());
        assertThat(token.err()).doesNotContain(tokens.accessToken()).doesNotContain(tokens.refreshToken());

        Exit logout = run(List.of(DEBUG), "logout", "--server", server.issuer().toString());

        assertThat(logout.status()).as(logout.err()).isEqualTo(DemoDevice.EXIT_OK);
        assertThat(file).doesNotExist();
        assertThat(logout.err()).contains("DEBUG").doesNotContain(tokens.accessToken())
                .doesNotContain(tokens.refreshToken());
    }

    @Test
    @DisplayName("an unreachable server: exit 1 and exactly one line on stderr (the client's WARN log is off by default), no stack trace")
    void tokenWhenServerUnreachableThenExitOneAndOneLine() throws Exception {
        Path file = home.resolve("tokens");
        TokenCache.file(file).save(new CachedTokens("access-token-value", "Bearer",
                Clock.systemUTC().instant().minusSeconds(1), "refresh-token-value", null, Set.of()));

        Exit exit = run(List.of(), "token", "--server", "http://127.0.0.1:" + closedPort(), "--token-file",
                file.toString());

        assertThat(exit.status()).isEqualTo(DemoDevice.EXIT_FAILED);
        assertThat(exit.out()).isEmpty();
        assertThat(exit.err()).startsWith("No token: could not reach the token endpoint").hasLineCount(1);
    }

    @Test
    void deviceWhenBadArgumentsThenExitTwo() throws Exception {
        Exit exit = run(List.of(), "token");

        assertThat(exit.status()).isEqualTo(DemoDevice.EXIT_USAGE);
        assertThat(exit.err()).startsWith("--server is required").contains("exit codes:");
    }

    // ---- helpers ----

    /** A child JVM running the device, and the files its standard output and error go to. */
    private record Child(Process process, Path out, Path err) {
    }

    private Child start(List<String> jvmOptions, String... deviceArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Duser.home=" + home,
                // a short-lived command: start fast rather than optimise
                "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.add(DemoServer.class.getName());
        command.add("device");
        command.addAll(List.of(deviceArgs));
        int n = ++children;
        Path out = home.resolve("out-" + n);
        Path err = home.resolve("err-" + n);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put(TokenFileLocation.XDG_CONFIG_HOME, home.resolve("config").toString());
        return new Child(builder.start(), out, err);
    }

    private Exit run(List<String> jvmOptions, String... deviceArgs) throws Exception {
        return finish(start(jvmOptions, deviceArgs));
    }

    private static Exit finish(Child child) throws Exception {
        if (!child.process().waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            child.process().destroyForcibly();
            throw new AssertionError("the device did not finish within " + LIMIT);
        }
        return new Exit(child.process().exitValue(), Files.readString(child.out(), StandardCharsets.UTF_8),
                Files.readString(child.err(), StandardCharsets.UTF_8));
    }

    private static String awaitUserCode(Child login) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline && login.process().isAlive()) {
            Matcher code = USER_CODE.matcher(Files.readString(login.out(), StandardCharsets.UTF_8));
            if (code.find()) {
                return code.group(1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the device showed no user code; its stderr: "
                + Files.readString(login.err(), StandardCharsets.UTF_8));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
