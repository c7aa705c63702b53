package org.devicegrant.storage.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.devicegrant.storage.DeviceAuthorization;

/** Test records: a pending authorization named {@code n} whose keys all derive from {@code n}. */
final class Records {

    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private Records() {
    }

    static DeviceAuthorization.Builder pending(String tenant, String n) {
        return DeviceAuthorization.builder()
                .id("id-" + n)
                .tenant(tenant)
                .deviceCodeHash("dch-" + n)
                .userCodeHash("uch-" + n)
                .clientId("tv-app")
                .requestedScopes(Set.of("openid", "profile"))
                .deviceMetadata(Map.of("model", "Living room TV"))
                .createdAt(T0)
                .expiresAt(T0.plus(LIFETIME))
                .interval(Duration.ofSeconds(5))
                .version(0);
    }
}
