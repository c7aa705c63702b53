package org.devicegrant.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import org.devicegrant.DeviceSettings;
import org.devicegrant.Issuance;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.token.IssuedTokens;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The library's rules for grants and their refresh tokens, shared by redemption and refresh: when
 * a refresh token is due, how it is made, how long a grant lives, who rotates, and how a grant is
 * revoked. Thread-safe.
 */
final class RefreshTokens {

    /** RFC 6749 §10.10: 256 random bits, far beyond the 128 that need no guessing budget. */
    static final int TOKEN_BYTES = 32;
    private static final String OFFLINE_ACCESS = "offline_access";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> CLAIMS = new TypeReference<>() { };

    private final GrantContext ctx;
    private final SecureRandom random;

    RefreshTokens(GrantContext ctx) {
        this.ctx = ctx;
        this.random = ctx.random();
    }

    /**
     * OpenID Connect Core §11: a refresh token for {@code offline_access} only with the user's
     * consent (a granted scope is one the user approved), or for a client that always gets one.
     */
    static boolean due(Set<String> grantedScopes, OAuthClient client) {
        return grantedScopes.contains(OFFLINE_ACCESS) || client.alwaysIssueRefreshToken();
    }

    /** A new refresh token: {@link #TOKEN_BYTES} random bytes, base64url. Never logged. */
    String mint() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    String hash(String refreshToken) {
        return ctx.hasher().refreshTokenHash(refreshToken);
    }

    /**
     * RFC 9700 §4.14.2: a public client's refresh tokens rotate; a confidential client's when the
     * grant says so.
     */
    boolean rotates(OAuthClient client) {
        return client.authenticationMethods().contains(ClientAuthenticationMethod.NONE)
                || ctx.issuance().rotateConfidential();
    }

    /** How long after a rotation a retired token is refused without revoking the grant. */
    Duration reuseGrace() {
        return ctx.issuance().reuseGrace();
    }

    /**
     * RFC 9700 §4.14.2: refresh tokens lapse after inactivity. The earlier of the idle deadline from
     * {@code now} and the absolute deadline from the grant's creation, with the client's, else the
     * tenant's, else the grant's lifetimes.
     */
    Instant expiresAt(String tenant, OAuthClient client, Instant createdAt, Instant now) {
        DeviceSettings own = ctx.settings().refreshOverrides(tenant, client);
        Issuance issuance = ctx.issuance();
        Duration idle = own.refreshIdleLifetime() != null ? own.refreshIdleLifetime() : issuance.refreshIdleLifetime();
        Duration absolute = own.refreshAbsoluteLifetime() != null
                ? own.refreshAbsoluteLifetime() : issuance.refreshAbsoluteLifetime();
        Instant idleDeadline = now.plus(idle);
        Instant absoluteDeadline = createdAt.plus(absolute);
        return idleDeadline.isBefore(absoluteDeadline) ? idleDeadline : absoluteDeadline;
    }

    /** The grant a redeemed authorization becomes; its id is the authorization's id. */
    Grant grantOf(String tenant, OAuthClient client, DeviceAuthorization consumed, String refreshToken, Instant now) {
        return Grant.builder()
                .id(consumed.id())
                .tenant(tenant)
                .authorizationId(consumed.id())
                .clientId(client.clientId())
                .subject(consumed.subject())
                .scopes(consumed.grantedScopes())
                .claims(consumed.claims())
                .authTime(consumed.authTime())
                .deviceMetadata(consumed.deviceMetadata())
                .createdAt(now)
                .lastUsedAt(now)
                .expiresAt(expiresAt(tenant, client, now, now))
                .refreshTokenHash(refreshToken == null ? null : hash(refreshToken))
                .build();
    }

    /** {@code tokens} with {@code refreshToken} (or none): the library's, never the token issuer's. */
    static IssuedTokens withRefreshToken(IssuedTokens tokens, String refreshToken) {
        return new IssuedTokens(tokens.accessToken(), tokens.tokenType(), tokens.expiresIn(), refreshToken,
                tokens.idToken(), tokens.scope());
    }

    /** Stored claims (JSON object text) as the token issuer takes them. */
    static Map<String, Object> claims(String json, String owner) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, CLAIMS);
        } catch (IOException e) {
            throw new IllegalStateException("stored claims of " + owner + " are not a JSON object", e);
        }
    }
}
