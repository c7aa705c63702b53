package org.devicegrant.device;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.device.ScriptedTransport.json;
import static org.devicegrant.device.ScriptedTransport.oauthError;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidTokenTest {

    static final URI TOKEN_ENDPOINT = URI.create("https://as.example/token");
    static final URI REVOCATION_ENDPOINT = URI.create("https://as.example/revoke");
    static final String ACCESS_1 = "at-1-2YotnFZFEjr1zCsicMWpAA";
    static final String REFRESH_1 = "rt-1-tGzv3JOkF0XG5Qx2TlKWIA";
    static final String ACCESS_2 = "at-2-9zYw8xVu7tSr6qPo5nMlKA";
    static final String REFRESH_2 = "rt-2-Hk2Lm3Np4Qr5St6Uv7WxYA";
    static final String ACCESS_3 = "at-3-QwErTyUiOpAsDfGhJkLzXA";
    static final String REFRESH_3 = "rt-3-ZxCvBnMqWeRtYuIoPaSdFA";
    static final Duration MARGIN = ofSeconds(30);

    final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ScriptedTransport transport = new ScriptedTransport(clock);
    final DeviceFlowClient client = DeviceFlowClient.builder()
            .deviceAuthorizationEndpoint(URI.create("https://as.example/device_authorization"))
            .tokenEndpoint(TOKEN_ENDPOINT)
            .revocationEndpoint(REVOCATION_ENDPOINT)
            .clientId("tv-app")
            .transport(transport)
            .clock(clock)
            .build();
    final RecordingCache cache = new RecordingCache();

    /** An in-memory cache that records each call, and can be told to fail saves. */
    static final class RecordingCache implements TokenCache {
        final TokenCache memory = TokenCache.inMemory();
        final List<String> calls = new ArrayList<>();
        boolean failSaves;

        @Override
        public Optional<CachedTokens> load() throws IOException {
            calls.add("load");
            return memory.load();
        }

        @Override
        public void save(CachedTokens tokens) throws IOException {
            calls.add("save");
            if (failSaves) {
                throw new IOException("disk full");
            }
            memory.save(tokens);
        }

        @Override
        public void clear() throws IOException {
            calls.add("clear");
            memory.clear();
        }

        CachedTokens held() throws IOException {
            return memory.load().orElseThrow();
        }
    }

    CachedTokens signedIn(long expiresInSeconds) {
        return new CachedTokens(ACCESS_1, "Bearer", clock.instant().plusSeconds(expiresInSeconds), REFRESH_1, null,
                Set.of("openid", "offline_access"));
    }

    static HttpResult issued(String access, String refresh) {
        return json(200, "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":600"
                + (refresh == null ? "" : ",\"refresh_token\":\"" + refresh + "\"") + "}");
    }

    ValidToken validToken() {
        return ValidToken.of(client, cache, MARGIN);
    }

    /** A thread, not started, that completes {@code result} with what {@code work} returns or throws. */
    static <T> Thread completing(CompletableFuture<T> result, Callable<T> work) {
        return new Thread(() -> {
            try {
                result.complete(work.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
    }

    /**
     * An answer that starts {@code other}, waits until it is blocked (behind the cache's lock) or
     * has ended, at most 10 s, and then answers {@code answer}.
     */
    static ScriptedTransport.Answer startingAndAwaitingBlocked(Thread other, HttpResult answer) {
        return () -> {
            other.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (other.getState() != Thread.State.BLOCKED && other.getState() != Thread.State.TERMINATED
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            return answer;
        };
    }

    @BeforeEach
    void clearLogs() {
        CapturedLogs.clear();
    }

    @Test
    void getWhenCacheEmptyThenNotSignedInWithoutRequest() throws Exception {
        assertThat(validToken().get()).isEqualTo(new ValidToken.NotSignedIn());
        assertThat(transport.sent()).isEmpty();
    }

    @Test
    void getWhenValidBeyondMarginThenCachedTokenWithoutRequest() throws Exception {
        cache.memory.save(signedIn(31));

        ValidToken.Result result = validToken().get();

        assertThat(result).isEqualTo(new ValidToken.Valid(signedIn(31)));
        assertThat(((ValidToken.Valid) result).accessToken()).isEqualTo(ACCESS_1);
        assertThat(transport.sent()).isEmpty();
        assertThat(cache.calls).containsExactly("load");
    }

    @Test
    void getWhenExpiryUnknownThenCachedTokenWithoutRequest() throws Exception {
        CachedTokens unknown = new CachedTokens(ACCESS_1, "Bearer", null, REFRESH_1, null, Set.of());
        cache.memory.save(unknown);

        assertThat(validToken().get()).isEqualTo(new ValidToken.Valid(unknown));
        assertThat(transport.sent()).isEmpty();
    }

    @Test
    void getWhenWithinMarginThenRefreshesSavesAndThenReturns() throws Exception {
        cache.memory.save(signedIn(30));
        transport.then(issued(ACCESS_2, REFRESH_2));

        ValidToken.Result result = validToken().get();

        assertThat(transport.sent()).hasSize(1);
        assertThat(transport.sent().get(0).uri()).isEqualTo(TOKEN_ENDPOINT);
        assertThat(transport.sent().get(0).form()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "grant_type", "refresh_token", "refresh_token", REFRESH_1, "client_id", "tv-app"));
        CachedTokens expected = new CachedTokens(ACCESS_2, "Bearer", clock.instant().plusSeconds(600), REFRESH_2,
                null, Set.of("openid", "offline_access"));
        assertThat(result).isEqualTo(new ValidToken.Valid(expected));
        assertThat(cache.calls).containsExactly("load", "save");
        assertThat(cache.held()).isEqualTo(expected);
    }

    @Test
    void getWhenRotatedTwiceOverTimeThenEachRefreshPresentsTheNewestAndOnlyTheNewestIsKept() throws Exception {
        cache.memory.save(signedIn(600));
        transport.then(issued(ACCESS_2, REFRESH_2)).then(issued(ACCESS_3, REFRESH_3));
        ValidToken tokens = validToken();

        assertThat(((ValidToken.Valid) tokens.get()).accessToken()).isEqualTo(ACCESS_1);
        clock.advance(ofSeconds(571));
        assertThat(((ValidToken.Valid) tokens.get()).accessToken()).isEqualTo(ACCESS_2);
        clock.advance(ofSeconds(300));
        assertThat(((ValidToken.Valid) tokens.get()).accessToken()).isEqualTo(ACCESS_2);
        clock.advance(ofSeconds(271));
        assertThat(((ValidToken.Valid) tokens.get()).accessToken()).isEqualTo(ACCESS_3);

        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(transport.sent()).extracting(ScriptedTransport.Sent::at)
                .containsExactly(start.plusSeconds(571), start.plusSeconds(1142));
        assertThat(transport.sent()).extracting(sent -> sent.form().get("refresh_token"))
                .containsExactly(REFRESH_1, REFRESH_2);
        assertThat(cache.held().refreshToken()).isEqualTo(REFRESH_3);
    }

    @Test
    void getWhenServerDoesNotRotateThenTheOldRefreshTokenStays() throws Exception {
        cache.memory.save(signedIn(0));
        transport.then(issued(ACCESS_2, null));

        validToken().get();

        assertThat(cache.held().accessToken()).isEqualTo(ACCESS_2);
        assertThat(cache.held().refreshToken()).isEqualTo(REFRESH_1);
    }

    @Test
    void getWhenInvalidGrantThenReauthorizationNeededAndCacheKept() throws Exception {
        cache.memory.save(signedIn(10));
        transport.then(oauthError("invalid_grant", "grant revoked"));

        ValidToken.Result result = validToken().get();

        assertThat(result).isEqualTo(new ValidToken.ReauthorizationNeeded("grant revoked"));
        assertThat(cache.calls).containsExactly("load");
        assertThat(cache.held()).isEqualTo(signedIn(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid_client", "invalid_scope", "temporarily_unavailable"})
    void getWhenOtherOAuthErrorThenFailedAndCacheKept(String error) throws Exception {
        cache.memory.save(signedIn(10));
        transport.then(oauthError(error, "details"));

        ValidToken.Result result = validToken().get();

        assertThat(result).isEqualTo(new ValidToken.Failed(error, "details"));
        assertThat(cache.calls).containsExactly("load");
        assertThat(cache.held()).isEqualTo(signedIn(10));
    }

    @Test
    void getWhenTokenEndpointUnreachableThenExceptionAndCacheKept() throws Exception {
        cache.memory.save(signedIn(10));
        transport.thenFail(new ConnectException("Connection refused"));

        assertThatThrownBy(() -> validToken().get()).isInstanceOf(DeviceFlowException.class);

        assertThat(cache.calls).containsExactly("load");
        assertThat(cache.held()).isEqualTo(signedIn(10));
    }

    @Test
    void getWhenExpiredWithoutRefreshTokenThenReauthorizationNeededWithoutRequest() throws Exception {
        cache.memory.save(new CachedTokens(ACCESS_1, "Bearer", clock.instant(), null, null, Set.of()));

        ValidToken.Result result = validToken().get();

        assertThat(result).isEqualTo(new ValidToken.ReauthorizationNeeded(ValidToken.NO_REFRESH_TOKEN));
        assertThat(transport.sent()).isEmpty();
    }

    @Test
    void getWhenSaveFailsThenIOExceptionAndNoTokenHandedOut() throws Exception {
        cache.memory.save(signedIn(10));
        cache.failSaves = true;
        transport.then(issued(ACCESS_2, REFRESH_2));

        assertThatThrownBy(() -> validToken().get()).isInstanceOf(IOException.class).hasMessage("disk full");

        assertThat(cache.held()).isEqualTo(signedIn(10));
    }

    @Test
    void refreshWhenCachedTokenStillValidThenRefreshesAnyway() throws Exception {
        cache.memory.save(signedIn(3600));
        transport.then(issued(ACCESS_2, REFRESH_2));

        ValidToken.Result result = validToken().refresh();

        assertThat(((ValidToken.Valid) result).accessToken()).isEqualTo(ACCESS_2);
        assertThat(cache.held().refreshToken()).isEqualTo(REFRESH_2);
    }

    @Test
    void refreshWhenCacheEmptyThenNotSignedIn() throws Exception {
        assertThat(validToken().refresh()).isEqualTo(new ValidToken.NotSignedIn());
    }

    @Test
    void getWhenFileCacheThenTheFileHoldsTheNewestRefreshTokenOnly(@TempDir Path home) throws Exception {
        Path file = home.resolve("tokens");
        TokenCache files = TokenCache.file(file);
        files.save(signedIn(0));
        transport.then(issued(ACCESS_2, REFRESH_2));

        ValidToken.Result result = ValidToken.of(client, files, MARGIN).get();

        assertThat(((ValidToken.Valid) result).accessToken()).isEqualTo(ACCESS_2);
        assertThat(TokenCache.file(file).load().orElseThrow().refreshToken()).isEqualTo(REFRESH_2);
        assertThat(Files.readString(file)).doesNotContain(REFRESH_1).doesNotContain(ACCESS_1);
    }

    @Test
    void getWhenTwoInstancesShareAFileAndOneRefreshesThenTheOtherWaitsAndUsesItsResult(@TempDir Path home)
            throws Exception {
        // RFC 9700 §4.14.2: a rotated refresh token presented a second time would revoke the grant.
        Path file = home.resolve("tokens");
        TokenCache.file(file).save(signedIn(0));
        CompletableFuture<ValidToken.Result> second = new CompletableFuture<>();
        Thread other = completing(second, () -> ValidToken.of(client, TokenCache.file(file), MARGIN).get());
        transport.then(startingAndAwaitingBlocked(other, issued(ACCESS_2, REFRESH_2)));

        ValidToken.Result first = ValidToken.of(client, TokenCache.file(file), MARGIN).get();

        assertThat(((ValidToken.Valid) first).accessToken()).isEqualTo(ACCESS_2);
        assertThat(((ValidToken.Valid) second.get(10, TimeUnit.SECONDS)).accessToken()).isEqualTo(ACCESS_2);
        assertThat(transport.sent()).hasSize(1);
    }

    @Test
    void getWhenFileCacheThenItsLockFileIsEmptyAndOwnerOnly(@TempDir Path home) throws Exception {
        Path file = home.resolve("tokens");
        TokenCache.file(file).save(signedIn(3600));

        ValidToken.of(client, TokenCache.file(file), MARGIN).get();

        Path lockFile = home.resolve("tokens.lock");
        assertThat(lockFile).isEmptyFile();
        if (FileTokenCacheTest.posix(home)) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(lockFile)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void getWhenRefreshingThenNoTokenInLogsResultsOrToString() throws Exception {
        cache.memory.save(signedIn(0));
        transport.then(issued(ACCESS_2, REFRESH_2)).then(oauthError("invalid_grant"));
        ValidToken tokens = validToken();

        ValidToken.Result first = tokens.get();
        clock.advance(ofSeconds(600));
        ValidToken.Result second = tokens.get();

        String everything = String.join("\n", CapturedLogs.lines()) + first + second + tokens + cache.held();
        assertThat(everything).doesNotContain(ACCESS_1).doesNotContain(REFRESH_1)
                .doesNotContain(ACCESS_2).doesNotContain(REFRESH_2);
        assertThat(CapturedLogs.lines()).anySatisfy(line -> assertThat(line).contains("rotated"))
                .anySatisfy(line -> assertThat(line).startsWith("WARN").contains("invalid_grant"));
    }

    @Test
    void signOutWhenRefreshTokenThenRevokesItThenClearsTheCache() throws Exception {
        // RFC 7009 §2.1: revoking the refresh token invalidates the grant and its access tokens.
        cache.memory.save(signedIn(600));
        transport.then(new HttpResult(200, Map.of(), ""));

        Optional<RevocationResult> result = validToken().signOut();

        assertThat(result).contains(new RevocationResult.Revoked());
        assertThat(transport.sent()).hasSize(1);
        assertThat(transport.sent().get(0).uri()).isEqualTo(REVOCATION_ENDPOINT);
        assertThat(transport.sent().get(0).form()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "token", REFRESH_1, "token_type_hint", "refresh_token", "client_id", "tv-app"));
        assertThat(cache.calls).containsExactly("load", "clear");
        assertThat(cache.memory.load()).isEmpty();
    }

    @Test
    void signOutWhenNoRefreshTokenThenRevokesTheAccessToken() throws Exception {
        cache.memory.save(new CachedTokens(ACCESS_1, "Bearer", clock.instant().plusSeconds(600), null, null,
                Set.of("openid")));
        transport.then(new HttpResult(200, Map.of(), ""));

        assertThat(validToken().signOut()).contains(new RevocationResult.Revoked());

        assertThat(transport.sent().get(0).form()).containsEntry("token", ACCESS_1)
                .containsEntry("token_type_hint", "access_token");
        assertThat(cache.memory.load()).isEmpty();
    }

    @Test
    void signOutWhenAccessTokenExpiredThenRevokesWithoutRefreshingFirst() throws Exception {
        cache.memory.save(signedIn(0));
        transport.then(new HttpResult(200, Map.of(), ""));

        validToken().signOut();

        assertThat(transport.sent()).extracting(ScriptedTransport.Sent::uri).containsExactly(REVOCATION_ENDPOINT);
    }

    @Test
    void signOutWhenCacheEmptyThenEmptyWithoutRequest() throws Exception {
        assertThat(validToken().signOut()).isEmpty();

        assertThat(transport.sent()).isEmpty();
        assertThat(cache.calls).containsExactly("load");
    }

    @Test
    void signOutWhenRevocationRefusedThenFailedAndCacheKept() throws Exception {
        cache.memory.save(signedIn(600));
        transport.then(oauthError("unsupported_token_type", "no revocation here"));

        Optional<RevocationResult> result = validToken().signOut();

        assertThat(result).contains(new RevocationResult.Failed("unsupported_token_type", "no revocation here"));
        assertThat(cache.calls).containsExactly("load");
        assertThat(cache.held()).isEqualTo(signedIn(600));
    }

    @Test
    void signOutWhenRevocationEndpointUnreachableThenExceptionAndCacheKept() throws Exception {
        cache.memory.save(signedIn(600));
        transport.thenFail(new ConnectException("Connection refused"));

        assertThatThrownBy(() -> validToken().signOut()).isInstanceOf(DeviceFlowException.class)
                .hasMessageContaining("the token may still be valid");

        assertThat(cache.held()).isEqualTo(signedIn(600));
    }

    @Test
    void signOutWhenFileCacheThenTheFileIsDeleted(@TempDir Path home) throws Exception {
        Path file = home.resolve("tokens");
        TokenCache.file(file).save(signedIn(600));
        transport.then(new HttpResult(200, Map.of(), ""));

        assertThat(ValidToken.of(client, TokenCache.file(file), MARGIN).signOut())
                .contains(new RevocationResult.Revoked());

        assertThat(file).doesNotExist();
        assertThat(TokenCache.file(file).load()).isEmpty();
    }

    @Test
    void signOutWhenAnotherInstanceIsRefreshingTheSameFileThenWaitsAndRevokesTheRotatedToken(@TempDir Path home)
            throws Exception {
        // RFC 9700 §4.14.2: revoking the refresh token that a concurrent refresh is retiring would
        // leave its successor valid, and saved again after the sign-out.
        Path file = home.resolve("tokens");
        TokenCache.file(file).save(signedIn(0));
        CompletableFuture<Optional<RevocationResult>> signOut = new CompletableFuture<>();
        Thread other = completing(signOut, () -> ValidToken.of(client, TokenCache.file(file), MARGIN).signOut());
        transport.then(startingAndAwaitingBlocked(other, issued(ACCESS_2, REFRESH_2)))
                .then(new HttpResult(200, Map.of(), ""));

        ValidToken.of(client, TokenCache.file(file), MARGIN).get();

        assertThat(signOut.get(10, TimeUnit.SECONDS)).contains(new RevocationResult.Revoked());
        assertThat(transport.sent()).extracting(sent -> sent.form().get(sent.uri().equals(REVOCATION_ENDPOINT)
                ? "token" : "refresh_token")).containsExactly(REFRESH_1, REFRESH_2);
        assertThat(file).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-PT1S", "PT1H0.001S"})
    void ofWhenMarginOutOfRangeThenRejectedWithRange(String margin) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ValidToken.of(client, cache, Duration.parse(margin)))
                .withMessageContaining("margin").withMessageContaining("PT0S..PT1H");
    }
}
