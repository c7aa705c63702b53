package org.devicegrant.storage.jdbc;

import static org.devicegrant.storage.jdbc.Records.T0;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.devicegrant.storage.Grant;

/** Test grants: an active grant named {@code n} whose id, authorization id and refresh-token hash derive from {@code n}. */
final class Grants {

    static final Duration IDLE = Duration.ofDays(30);

    private Grants() {
    }

    static Grant.Builder active(String tenant, String n) {
        return Grant.builder()
                .id("gid-" + n)
                .tenant(tenant)
                .authorizationId("gid-" + n)
                .clientId("tv-app")
                .subject("alice")
                .scopes(Set.of("openid", "offline_access"))
                .deviceMetadata(Map.of("model", "Living room TV"))
                .createdAt(T0)
                .lastUsedAt(T0)
                .expiresAt(T0.plus(IDLE))
                .refreshTokenHash("rth-" + n + "-0")
                .version(0);
    }

    /** The next version of {@code grant} after a refresh at {@code grant.lastUsedAt() + seconds}, with a new hash. */
    static Grant rotated(Grant grant, String newHash, long seconds) {
        return grant.toBuilder().refreshTokenHash(newHash).lastUsedAt(grant.lastUsedAt().plusSeconds(seconds))
                .expiresAt(grant.lastUsedAt().plusSeconds(seconds).plus(IDLE)).nextVersion().build();
    }
}
