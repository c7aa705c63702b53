package org.devicegrant.device;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out an access token that is good for at least a margin: the cached one if it is, else a
 * refreshed one (RFC 6749 §6), saved to the {@link TokenCache} before it is returned, so that a
 * rotated refresh token (RFC 9700 §4.14.2) is never lost between two calls.
 *
 * <pre>{@code
 * ValidToken tokens = ValidToken.of(client, TokenCache.file(path), Duration.ofSeconds(30));
 * ValidToken.Result result = tokens.get();
 * if (result instanceof ValidToken.Valid valid) {
 *     call(valid.accessToken());
 * } else if (result instanceof ValidToken.NotSignedIn || result instanceof ValidToken.ReauthorizationNeeded) {
 *     // ask the user to sign in: client.start(), client.await(...), cache.save(CachedTokens.of(...))
 * }
 * }</pre>
 *
 * <p>{@link #signOut()} revokes the grant (RFC 7009) and then clears the cache.
 *
 * <p>Time comes from the client's injected clock. A failed refresh never touches the cache: after
 * {@link ReauthorizationNeeded}, {@link Failed} or an exception it holds what it held. Thread-safe:
 * calls on one instance run one at a time. With {@link TokenCache#file(java.nio.file.Path)} a
 * call also holds an OS lock on a sibling {@code .lock} file from load to save, so instances in
 * other threads or processes that use the same file wait and then find the refreshed token: a
 * rotated refresh token is never presented twice (RFC 9700 §4.14.2 reuse detection would revoke
 * the grant). Other caches are not coordinated across instances.
 */
public final class ValidToken {

    static final Duration MAX_MARGIN = Duration.ofHours(1);
    static final String NO_REFRESH_TOKEN = "the access token expired and there is no refresh token";

    private static final Logger LOG = LoggerFactory.getLogger(ValidToken.class);

    private final DeviceFlowClient client;
    private final TokenCache cache;
    private final Duration margin;
    private final Clock clock;

    private ValidToken(DeviceFlowClient client, TokenCache cache, Duration margin) {
        this.client = client;
        this.cache = cache;
        this.margin = margin;
        this.clock = client.clock();
    }

    /**
     * @param client refreshes, with its clock, transport and client authentication
     * @param cache  where the tokens are kept
     * @param margin how long a returned access token must still be valid, PT0S..PT1H; e.g. 30 s
     *               to cover clock skew and the request that uses it
     * @throws IllegalArgumentException if {@code margin} is out of range
     */
    public static ValidToken of(DeviceFlowClient client, TokenCache cache, Duration margin) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(margin, "margin");
        if (margin.isNegative() || margin.compareTo(MAX_MARGIN) > 0) {
            throw new IllegalArgumentException("margin must be between 0 and 1 hour (PT0S..PT1H), got " + margin);
        }
        return new ValidToken(client, cache, margin);
    }

    /**
     * The cached access token if it is valid for at least the margin (or its expiry is unknown),
     * else a refreshed one.
     *
     * @return {@link Valid}, {@link NotSignedIn} when the cache is empty,
     *         {@link ReauthorizationNeeded} when the refresh token is gone or refused with
     *         {@code invalid_grant}, {@link Failed} for another OAuth error of the refresh
     * @throws DeviceFlowException if the token endpoint cannot be reached; the cache is unchanged
     * @throws IOException         if the cache cannot be read, or the refreshed tokens cannot be
     *                             saved (then, with a rotating server, the saved refresh token is
     *                             already retired and the next refresh asks for re-authorization)
     */
    public synchronized Result get() throws DeviceFlowException, IOException {
        return obtain(false);
    }

    /**
     * Refreshes whatever the cached access token's expiry, e.g. after a resource server refused it
     * with {@code invalid_token} (RFC 6750 §3.1) before its time. Results and exceptions as for
     * {@link #get()}.
     */
    public synchronized Result refresh() throws DeviceFlowException, IOException {
        return obtain(true);
    }

    /**
     * Signs the device out: revokes its refresh token (RFC 7009 §2.1), or its access token when it
     * holds no refresh token, and then clears the cache. Does not refresh first, even when the
     * access token has expired.
     *
     * <p>With {@link TokenCache#file(java.nio.file.Path)} the call holds the same lock as
     * {@link #get()}, so a refresh running elsewhere finishes first and the token revoked is the
     * newest one, never one that rotation has just retired.
     *
     * @return empty when the cache holds no tokens (nothing is sent); {@link RevocationResult.Revoked}
     *         when the server answered HTTP 200 (RFC 7009 §2.2: also for a token it no longer
     *         knows) and the cache is cleared; {@link RevocationResult.Failed} for an OAuth error,
     *         the cache then still holding the tokens
     * @throws DeviceFlowException   if the revocation endpoint cannot be reached or answers without
     *                               an OAuth error; the cache is unchanged
     * @throws IOException           if the cache cannot be read, or cleared after the revocation
     * @throws IllegalStateException if the client was built without a revocation endpoint
     */
    public synchronized Optional<RevocationResult> signOut() throws DeviceFlowException, IOException {
        return holdingTheCache(this::signOutHoldingTheCache);
    }

    private Optional<RevocationResult> signOutHoldingTheCache() throws DeviceFlowException, IOException {
        Optional<CachedTokens> cached = cache.load();
        if (cached.isEmpty()) {
            LOG.debug("no cached tokens: nothing to sign out");
            return Optional.empty();
        }
        CachedTokens tokens = cached.get();
        RevocationResult result = tokens.refreshToken() != null
                ? client.revoke(tokens.refreshToken(), TokenTypeHint.REFRESH_TOKEN)
                : client.revoke(tokens.accessToken(), TokenTypeHint.ACCESS_TOKEN);
        if (result instanceof RevocationResult.Revoked) {
            cache.clear();
        }
        return Optional.of(result);
    }

    private Result obtain(boolean force) throws DeviceFlowException, IOException {
        return holdingTheCache(() -> obtainHoldingTheCache(force));
    }

    private <T> T holdingTheCache(FileTokenCache.Action<T> action) throws DeviceFlowException, IOException {
        if (cache instanceof FileTokenCache) {
            return ((FileTokenCache) cache).exclusively(action);
        }
        return action.run();
    }

    private Result obtainHoldingTheCache(boolean force) throws DeviceFlowException, IOException {
        Optional<CachedTokens> cached = cache.load();
        if (cached.isEmpty()) {
            LOG.debug("no cached tokens: not signed in");
            return new NotSignedIn();
        }
        CachedTokens tokens = cached.get();
        if (!force && tokens.validFor(clock.instant(), margin)) {
            return new Valid(tokens);
        }
        if (tokens.refreshToken() == null) {
            LOG.debug("access token expired and no refresh token: re-authorization needed");
            return new ReauthorizationNeeded(NO_REFRESH_TOKEN);
        }
        RefreshResult refreshed = client.refresh(tokens);
        if (refreshed instanceof RefreshResult.Refreshed success) {
            // Saved before it is handed out: after rotation the presented refresh token is retired.
            cache.save(success.tokens());
            return new Valid(success.tokens());
        }
        if (refreshed instanceof RefreshResult.ReauthorizationNeeded refused) {
            return new ReauthorizationNeeded(refused.description());
        }
        RefreshResult.Failed failed = (RefreshResult.Failed) refreshed;
        return new Failed(failed.error(), failed.description());
    }

    @Override
    public String toString() {
        return "ValidToken[cache=" + cache + ", margin=" + margin + "]";
    }

    /** What {@link #get()} and {@link #refresh()} found. */
    public sealed interface Result permits Valid, NotSignedIn, ReauthorizationNeeded, Failed {
    }

    /**
     * A usable access token; the tokens are those in the cache.
     *
     * @param tokens the cached tokens, their access token valid for at least the margin (or
     *               of unknown expiry, or just issued)
     */
    public record Valid(CachedTokens tokens) implements Result {

        /** @throws NullPointerException if {@code tokens} is null */
        public Valid {
            Objects.requireNonNull(tokens, "tokens");
        }

        /** The access token to send, e.g. as {@code Authorization: Bearer} (RFC 6750 §2.1). */
        public String accessToken() {
            return tokens.accessToken();
        }
    }

    /** The cache holds no tokens: the user has not signed in on this device, or signed out. */
    public record NotSignedIn() implements Result {
    }

    /**
     * The user must sign in again with a new device flow: the refresh token was refused with
     * {@code invalid_grant} (revoked, expired, or reused), or there is none and the access token
     * has expired. The cache still holds the old tokens.
     *
     * @param reason the server's {@code error_description} or the client's reason, or {@code null}
     */
    public record ReauthorizationNeeded(String reason) implements Result {
    }

    /**
     * The refresh was refused with another OAuth error (e.g. {@code invalid_client}); the cache
     * still holds the old tokens.
     *
     * @param error       the OAuth {@code error} code
     * @param description the server's {@code error_description}, or {@code null}
     */
    public record Failed(String error, String description) implements Result {

        /** @throws NullPointerException if {@code error} is null */
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
