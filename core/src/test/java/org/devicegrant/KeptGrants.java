package org.devicegrant;

import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.code.CodeHasher;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.inmemory.InMemoryGrantStore;
import org.devicegrant.token.TokenIssuanceRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.USER_CODE_KEY;

/**
 * A device grant that keeps grants in an {@link InMemoryGrantStore}, and grants made the way
 * redemption makes them (id = the authorization id; a JWT access token naming it; a 32-byte refresh
 * token stored as its SHA-256), so that revocation, introspection and unlink can be tested on their
 * own. One instance per test.
 */
final class KeptGrants {

    static final Duration IDLE = Duration.ofDays(30);

    final TestGrants t = new TestGrants();
    final List<DeviceGrantEvent> events = new ArrayList<>();
    final GrantStore store;
    final DeviceGrant grant;
    private final CodeHasher hasher = new CodeHasher(USER_CODE_KEY);

    KeptGrants() {
        this(InMemoryGrantStore.create(), b -> b);
    }

    KeptGrants(GrantStore store, UnaryOperator<Hooks> hooks) {
        this.store = store;
        this.grant = t.grant(Issuance.by(t.jwtIssuer).withGrants(store),
                b -> b.hooks(hooks.apply(Hooks.defaults().withListener(events::add))));
    }

    /** What a device holds after redemption. */
    record Device(String grantId, String accessToken, String refreshToken) {
    }

    /** A grant for {@code clientId} approved by {@code subject}, as redemption makes it now. */
    Device redeem(String clientId, String subject, String... scopes) {
        String grantId = UUID.nameUUIDFromBytes(randomBytes(16)).toString();
        String refreshToken = newRefreshToken();
        Instant now = t.clock.instant();
        store.create(Grant.builder().id(grantId).tenant(TENANT).authorizationId(grantId).clientId(clientId)
                .subject(subject).scopes(Set.of(scopes)).deviceMetadata(Map.of(DeviceMetadata.DESCRIPTION, "Kitchen TV"))
                .createdAt(now).lastUsedAt(now).expiresAt(now.plus(IDLE)).refreshTokenHash(hash(refreshToken))
                .build());
        return new Device(grantId, accessToken(clientId, subject, grantId, scopes), refreshToken);
    }

    /** A new access token of {@code grantId}, as a refresh would issue it. */
    String accessToken(String clientId, String subject, String grantId, String... scopes) {
        OAuthClient client = t.clients.find(TENANT, clientId).orElseThrow();
        return t.jwtIssuer.issue(new TokenIssuanceRequest(TENANT, client, subject, Set.of(scopes), Map.of(), null,
                grantId, t.clock.instant())).accessToken();
    }

    /** Rotates the device's refresh token as a refresh would; returns the new one (the old one is retired). */
    String rotate(Device device) {
        Grant current = store.findById(TENANT, device.grantId()).orElseThrow();
        String next = newRefreshToken();
        Instant now = t.clock.instant();
        if (!store.replace(current.version(), current.toBuilder().refreshTokenHash(hash(next)).lastUsedAt(now)
                .expiresAt(now.plus(IDLE)).nextVersion().build())) {
            throw new AssertionError("rotation lost its compare-and-set");
        }
        return next;
    }

    Grant stored(String grantId) {
        return store.findById(TENANT, grantId).orElseThrow();
    }

    String hash(String refreshToken) {
        return hasher.refreshTokenHash(refreshToken);
    }

    // ---- requests ----

    DeviceGrantResponse revoke(String clientId, String token, String hint) {
        return grant.revocation(hint == null ? TestGrants.form("client_id", clientId, "token", token)
                : TestGrants.form("client_id", clientId, "token", token, "token_type_hint", hint));
    }

    DeviceGrantResponse introspect(String token) {
        return introspect(token, null);
    }

    DeviceGrantResponse introspect(String token, String hint) {
        DeviceGrantRequest request = hint == null ? TestGrants.form("token", token)
                : TestGrants.form("token", token, "token_type_hint", hint);
        return grant.introspection(TestGrants.basic(request, "resource-server", "rs-s3cret"));
    }

    boolean active(String token) {
        return Boolean.TRUE.equals(TestGrants.json(introspect(token)).get("active"));
    }

    private String newRefreshToken() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        t.random.nextBytes(bytes);
        return bytes;
    }
}
