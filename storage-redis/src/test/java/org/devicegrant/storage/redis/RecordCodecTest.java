package org.devicegrant.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.StoreUnavailableException;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    private static final DeviceAuthorization EVERY_FIELD = DeviceAuthorization.builder()
            .id("auth-1")
            .tenant("tenant-a")
            .deviceCodeHash("ZGV2aWNlLWNvZGUtaGFzaA")
            .userCodeHash("dXNlci1jb2RlLWhhc2g")
            .clientId("tv-client")
            .requestedScopes(Set.of("openid", "profile", "offline_access"))
            .deviceMetadata(Map.of("model", "TV-1", "room", "Küche \"2\""))
            .status(AuthorizationStatus.CONSUMED)
            .subject("user-4711")
            .grantedScopes(Set.of("openid", "profile"))
            .claims("{\"acr\":\"1\"}")
            .authTime(Instant.parse("2026-01-15T09:01:00.123456789Z"))
            .createdAt(Instant.parse("2026-01-15T09:00:00Z"))
            .expiresAt(Instant.parse("2026-01-15T09:10:00Z"))
            .interval(Duration.ofSeconds(15))
            .lastPolledAt(Instant.parse("2026-01-15T09:02:30.5Z"))
            .version(7)
            .build();

    @Test
    void writeThenReadReturnsEveryField() {
        String json = RecordCodec.write(EVERY_FIELD);

        assertThat(json).startsWith("{\"v\":1,");
        assertThat(RecordCodec.read(json)).isEqualTo(EVERY_FIELD);
    }

    @Test
    void writeThenReadKeepsAbsentOptionalFieldsAbsent() {
        DeviceAuthorization sparse = EVERY_FIELD.toBuilder()
                .status(AuthorizationStatus.PENDING).subject(null).grantedScopes(Set.of()).claims(null)
                .authTime(null).lastPolledAt(null).deviceMetadata(Map.of()).requestedScopes(Set.of())
                .build();

        assertThat(RecordCodec.read(RecordCodec.write(sparse))).isEqualTo(sparse);
    }

    @Test
    void readWhenVersionOneLiteralOfAnOlderReleaseThenStillReads() {
        // Written by hand as release 0.1 stores it; must keep reading in every later release.
        String stored = """
                {"v":1,"id":"auth-1","tenant":"tenant-a","deviceCodeHash":"ZGV2aWNlLWNvZGUtaGFzaA",\
                "userCodeHash":"dXNlci1jb2RlLWhhc2g","clientId":"tv-client",\
                "requestedScopes":["offline_access","openid","profile"],\
                "deviceMetadata":{"model":"TV-1","room":"Küche \\"2\\""},"status":"CONSUMED",\
                "subject":"user-4711","grantedScopes":["openid","profile"],"claims":"{\\"acr\\":\\"1\\"}",\
                "authTime":"2026-01-15T09:01:00.123456789Z","createdAt":"2026-01-15T09:00:00Z",\
                "expiresAt":"2026-01-15T09:10:00Z","intervalMillis":15000,\
                "lastPolledAt":"2026-01-15T09:02:30.500Z","version":7}""";

        assertThat(RecordCodec.read(stored)).isEqualTo(EVERY_FIELD);
    }

    @Test
    void readWhenUnknownMembersThenIgnoresThem() {
        String withExtra = RecordCodec.write(EVERY_FIELD).replace("{\"v\":1,", "{\"v\":1,\"addedLater\":[1,2],");

        assertThat(RecordCodec.read(withExtra)).isEqualTo(EVERY_FIELD);
    }

    @Test
    void readWhenFormatVersionUnknownThenStoreUnavailableNamingTheVersionOnly() {
        String newer = RecordCodec.write(EVERY_FIELD).replace("{\"v\":1,", "{\"v\":2,");

        assertThatThrownBy(() -> RecordCodec.read(newer))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("format version 2")
                .message().doesNotContain(EVERY_FIELD.deviceCodeHash());
    }

    @Test
    void readWhenFieldInvalidThenStoreUnavailableWithoutTheValue() {
        String broken = RecordCodec.write(EVERY_FIELD).replace("\"2026-01-15T09:10:00Z\"", "\"secret-ish\"");

        assertThatThrownBy(() -> RecordCodec.read(broken))
                .isInstanceOf(StoreUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage() + e.getCause()).doesNotContain("secret-ish"));
    }

    @Test
    void readWhenNotJsonThenStoreUnavailable() {
        assertThatThrownBy(() -> RecordCodec.read("not json"))
                .isInstanceOf(StoreUnavailableException.class);
    }
}
