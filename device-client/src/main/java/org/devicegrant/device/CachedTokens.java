package org.devicegrant.device;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The tokens a device keeps between runs, as a {@link TokenCache} saves them: the last access
 * token with the instant it expires, and the newest refresh token of the grant. Immutable; the
 * {@code toString} never prints a token.
 *
 * @param accessToken  the access token
 * @param tokenType    its type, e.g. {@code Bearer}
 * @param expiresAt    when the access token expires by the device's clock, or {@code null} when
 *                     the server did not say ({@code expires_in} is only RECOMMENDED, RFC 6749
 *                     §5.1)
 * @param refreshToken the newest refresh token, or {@code null} when the server issued none
 * @param idToken      the last OpenID Connect ID token (a compact JWT), or {@code null}
 * @param scope        the scope of the access token; empty when unknown
 */
public record CachedTokens(String accessToken, String tokenType, Instant expiresAt, String refreshToken,
        String idToken, Set<String> scope) {

    /**
     * @throws NullPointerException     if {@code accessToken}, {@code tokenType} or {@code scope}
     *                                  is null
     * @throws IllegalArgumentException if a token is empty
     */
    public CachedTokens {
        requireText(Objects.requireNonNull(accessToken, "accessToken"), "accessToken");
        requireText(Objects.requireNonNull(tokenType, "tokenType"), "tokenType");
        if (refreshToken != null) {
            requireText(refreshToken, "refreshToken");
        }
        if (idToken != null) {
            requireText(idToken, "idToken");
        }
        scope = Set.copyOf(Objects.requireNonNull(scope, "scope"));
    }

    /**
     * The tokens of a finished device flow.
     *
     * @param tokens   what {@link DeviceFlowClient#await(DeviceCodes, PollListener, CancellationToken)}
     *                 returned
     * @param issuedAt when the tokens were issued by the device's clock; take the instant just
     *                 before the request or, failing that, when the answer arrived (the margin of
     *                 {@link ValidToken} covers the difference)
     */
    public static CachedTokens of(TokenResult.Success tokens, Instant issuedAt) {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(issuedAt, "issuedAt");
        return new CachedTokens(tokens.accessToken(), tokens.tokenType(),
                tokens.expiresIn() == null ? null : issuedAt.plus(tokens.expiresIn()),
                tokens.refreshToken(), tokens.idToken(), tokens.scope());
    }

    /**
     * Whether the access token is still good at {@code now} for at least {@code margin}. A token
     * without a known expiry counts as valid: only the resource server can tell.
     */
    boolean validFor(Instant now, Duration margin) {
        return expiresAt == null || now.plus(margin).isBefore(expiresAt);
    }

    private static void requireText(String value, String name) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    /** Type, expiry, scope and which tokens are present; never a token value. */
    @Override
    public String toString() {
        return "CachedTokens[tokenType=" + tokenType + ", expiresAt=" + (expiresAt == null ? "unknown" : expiresAt)
                + ", refreshToken=" + (refreshToken == null ? "absent" : "present")
                + ", idToken=" + (idToken == null ? "absent" : "present") + ", scope=" + scope + "]";
    }
}
