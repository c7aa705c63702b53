package org.devicegrant.examples;

import org.devicegrant.storage.tck.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

/**
 * An independent standard client against the demo: {@code oauth4webapi} (the exact version pinned
 * in {@code oauth4webapi/package.json} and its lock file, used unmodified) runs
 * {@code oauth4webapi/device-flow.mjs} under Node 20 or later: discovery, device authorization, a
 * poll while the code is pending, then (after alice approves on the verification pages) the
 * tokens, a refresh that rotates the refresh token, revocation of the newest refresh token, and
 * introspection as {@value DemoServer#CONFIDENTIAL_CLIENT} before and after. The library checks
 * every response itself (issuer, content types, required members, ID token claims); this test
 * asserts on the JSON lines the script prints.
 *
 * <p>Skips with one line when {@code node} (20 or later) or {@code oauth4webapi/node_modules} is
 * missing ({@code .ci/services.sh} runs {@code npm ci} there), unless
 * {@value Services#REQUIRE_ENV}{@code =1}, then fails.
 */
class Oauth4webapiClientTest {

    private static final Path SCRIPT_DIR = Path.of("oauth4webapi");
    private static final String SCRIPT = "device-flow.mjs";
    private static final Path LIBRARY = SCRIPT_DIR.resolve("node_modules/oauth4webapi/package.json");
    private static final int MIN_NODE_MAJOR = 20;
    private static final Duration SCRIPT_LIMIT = Duration.ofSeconds(60);
    private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\.");

    private DemoHttp demo;
    private Process script;
    private final List<String> lines = new ArrayList<>();

    @BeforeEach
    void requireNodeAndLibrary() {
        String node = nodeVersion();
        Matcher major = NODE_VERSION.matcher(node == null ? "" : node);
        if (node == null || !major.lookingAt() || Integer.parseInt(major.group(1)) < MIN_NODE_MAJOR) {
            skip("node " + MIN_NODE_MAJOR + " or later is not on the PATH (found: " + node + ")");
        }
        if (!Files.isRegularFile(LIBRARY)) {
            skip("oauth4webapi is not installed in examples/oauth4webapi (run npm ci there, or .ci/services.sh)");
        }
        // oauth4webapi checks an ID token's exp against the real time: the demo's clock starts there
        demo = new DemoHttp(Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS));
    }

    @AfterEach
    void stop() {
        if (script != null) {
            script.destroyForcibly();
        }
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @DisplayName("oauth4webapi, unmodified: device flow, refresh with rotation, RFC 7009 revocation, RFC 7662 introspection active → inactive")
    void oauth4webapiWhenFullGrantLifeThenEveryResponseAcceptedAndRevokedTokenInactive() throws Exception {
        script = new ProcessBuilder("node", SCRIPT, demo.server.issuer().toString())
                .directory(SCRIPT_DIR.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture.runAsync(this::stopScriptAfterLimit);
        BufferedReader out = new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(script.getOutputStream(), StandardCharsets.UTF_8);

        Map<String, Object> authorized = next(out, "authorized");
        assertThat(authorized).containsEntry("verification_uri", demo.server.issuer() + DemoServer.VERIFICATION_PATH)
                .containsEntry("interval", 5);
        String userCode = (String) authorized.get("user_code");

        // RFC 8628 §3.5: a poll one interval later, before the user approved
        demo.clock.advance(Duration.ofSeconds(5));
        go(in);
        assertThat(next(out, "polled")).containsEntry("error", "authorization_pending").containsEntry("status", 400);

        demo.browser().approve(DemoServer.VERIFICATION_PATH, userCode, "alice");
        demo.clock.advance(Duration.ofSeconds(5));
        go(in);
        Map<String, Object> done = next(out, "done");
        String issuer = demo.server.issuer().toString();

        assertThat(done).containsEntry("issuer", issuer);
        Map<String, Object> tokens = object(done, "tokens");
        // oauth4webapi lower-cases token_type
        assertThat(tokens).containsEntry("token_type", "bearer").containsKeys("access_token", "refresh_token");
        assertThat(object(tokens, "id_token")).containsEntry("iss", issuer).containsEntry("sub", "alice")
                .containsEntry("aud", DemoServer.PUBLIC_CLIENT);
        assertThat(object(done, "introspected_first")).containsEntry("active", true).containsEntry("sub", "alice")
                .containsEntry("client_id", DemoServer.PUBLIC_CLIENT).containsEntry("iss", issuer);

        Map<String, Object> refreshed = object(done, "refreshed");
        assertThat(refreshed).containsEntry("token_type", "bearer");
        assertThat(refreshed.get("refresh_token")).as("rotation: a new refresh token").isInstanceOf(String.class)
                .isNotEqualTo(tokens.get("refresh_token"));
        assertThat(refreshed.get("access_token")).isNotEqualTo(tokens.get("access_token"));
        // OpenID Connect Core §12.2: the ID token of a refresh names the same subject
        assertThat(object(refreshed, "id_token")).containsEntry("sub", "alice").containsEntry("iss", issuer);

        assertThat(object(done, "introspected_before_revocation")).containsEntry("active", true)
                .containsEntry("sub", "alice").containsEntry("client_id", DemoServer.PUBLIC_CLIENT);
        // RFC 7662 §2.2: a token whose grant was revoked is inactive, and nothing else is said about it
        assertThat(object(done, "introspected_after_revocation")).isEqualTo(Map.of("active", false));
        assertThat(object(done, "refresh_after_revocation")).containsEntry("status", 400)
                .containsEntry("error", "invalid_grant");
        assertThat(script.waitFor(SCRIPT_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).as("the script's exit code; its lines: %s", lines).isZero();
    }

    /** The next line the script printed, which must be the step {@code step}. */
    private Map<String, Object> next(BufferedReader out, String step) throws IOException {
        String line = out.readLine();
        assertThat(line).as("the script ended before step %s; its lines: %s", step, lines).isNotNull();
        lines.add(line);
        Map<String, Object> json = DemoHttp.json(line);
        assertThat(json.get("step")).as("the step after %s", lines).isEqualTo(step);
        return json;
    }

    private static void go(Writer in) throws IOException {
        in.write("go\n");
        in.flush();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> json, String name) {
        assertThat(json).extractingByKey(name).asInstanceOf(MAP).isNotNull();
        return (Map<String, Object>) json.get(name);
    }

    /** A safety net: a script that hangs is ended, which ends the test's reads. */
    private void stopScriptAfterLimit() {
        try {
            if (!script.waitFor(SCRIPT_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                script.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code node --version}, or null when there is no node to run. */
    private static String nodeVersion() {
        try {
            Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void skip(String reason) {
        System.out.println("[devicegrant] Oauth4webapiClientTest: " + reason
                + (Services.required() ? "" : "; skipping (set " + Services.REQUIRE_ENV + "=1 to fail instead)"));
        Services.unavailable(reason);
    }
}
