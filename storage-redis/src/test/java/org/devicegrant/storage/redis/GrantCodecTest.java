package org.devicegrant.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.StoreUnavailableException;
import org.junit.jupiter.api.Test;

class GrantCodecTest {

    private static final Grant EVERY_FIELD = Grant.builder()
            .id("auth-1")
            .tenant("tenant-a")
            .authorizationId("auth-1")
            .clientId("tv-client")
            .subject("user-4711")
            .scopes(Set.of("openid", "offline_access", "profile"))
            .claims("{\"acr\":\"1\"}")
            .authTime(Instant.parse("2026-01-15T09:01:00.123456789Z"))
            .deviceMetadata(Map.of("model", "TV-1", "room", "Küche \"2\""))
            .createdAt(Instant.parse("2026-01-15T09:02:00Z"))
            .lastUsedAt(Instant.parse("2026-01-16T10:00:00.5Z"))
            .expiresAt(Instant.parse("2026-02-15T10:00:00Z"))
            .status(GrantStatus.REVOKED)
            .revokedAt(Instant.parse("2026-01-17T08:00:00Z"))
            .refreshTokenHash("cmVmcmVzaC10b2tlbi1oYXNo")
            .dpopJkt("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")
            .version(9)
            .build();

    @Test
    void writeThenReadReturnsEveryField() {
        String json = GrantCodec.write(EVERY_FIELD);

        assertThat(json).startsWith("{\"v\":1,");
        assertThat(GrantCodec.read(json)).isEqualTo(EVERY_FIELD);
    }

    @Test
    void writeThenReadKeepsAbsentOptionalFieldsAbsent() {
        Grant sparse = EVERY_FIELD.toBuilder()
                .status(GrantStatus.ACTIVE).revokedAt(null).claims(null).authTime(null)
                .refreshTokenHash(null).dpopJkt(null).scopes(Set.of()).deviceMetadata(Map.of())
                .build();

        assertThat(GrantCodec.read(GrantCodec.write(sparse))).isEqualTo(sparse);
    }

    @Test
    void readWhenVersionOneLiteralThenStillReads() {
        // Written by hand as this release stores it; must keep reading in every later release.
        String stored = """
                {"v":1,"id":"auth-1","tenant":"tenant-a","authorizationId":"auth-1","clientId":"tv-client",\
                "subject":"user-4711","scopes":["offline_access","openid","profile"],\
                "claims":"{\\"acr\\":\\"1\\"}","authTime":"2026-01-15T09:01:00.123456789Z",\
                "deviceMetadata":{"model":"TV-1","room":"Küche \\"2\\""},"createdAt":"2026-01-15T09:02:00Z",\
                "lastUsedAt":"2026-01-16T10:00:00.500Z","expiresAt":"2026-02-15T10:00:00Z","status":"REVOKED",\
                "revokedAt":"2026-01-17T08:00:00Z","refreshTokenHash":"cmVmcmVzaC10b2tlbi1oYXNo",\
                "dpopJkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I","version":9}""";

        assertThat(GrantCodec.read(stored)).isEqualTo(EVERY_FIELD);
    }

    @Test
    void readWhenUnknownMembersThenIgnoresThem() {
        String withExtra = GrantCodec.write(EVERY_FIELD).replace("{\"v\":1,", "{\"v\":1,\"addedLater\":{\"a\":1},");

        assertThat(GrantCodec.read(withExtra)).isEqualTo(EVERY_FIELD);
    }

    @Test
    void readWhenFormatVersionUnknownThenStoreUnavailableNamingTheVersionOnly() {
        String newer = GrantCodec.write(EVERY_FIELD).replace("{\"v\":1,", "{\"v\":2,");

        assertThatThrownBy(() -> GrantCodec.read(newer))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("format version 2")
                .message().doesNotContain(EVERY_FIELD.refreshTokenHash());
    }

    @Test
    void readWhenFieldInvalidThenStoreUnavailableWithoutTheValue() {
        String broken = GrantCodec.write(EVERY_FIELD).replace("\"REVOKED\"", "\"secret-ish\"");

        assertThatThrownBy(() -> GrantCodec.read(broken))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("unreadable")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-ish"))
                .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain("secret-ish"));
    }

    @Test
    void readWhenNotJsonThenStoreUnavailable() {
        assertThatThrownBy(() -> GrantCodec.read("not json"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("not JSON");
    }
}
