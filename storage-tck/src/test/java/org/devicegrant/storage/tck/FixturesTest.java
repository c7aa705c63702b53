package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.AuthorizationStatus;
import org.junit.jupiter.api.Test;

class FixturesTest {

    @Test
    void whenCalledRepeatedlyThenIdsAndHashesAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            DeviceAuthorization record = Fixtures.pending(Fixtures.START);
            assertThat(seen.add(record.id())).isTrue();
            assertThat(seen.add(record.deviceCodeHash())).isTrue();
            assertThat(seen.add(record.userCodeHash())).isTrue();
        }
    }

    @Test
    void whenPendingThenShapedLikeAStoredRecord() {
        DeviceAuthorization record = Fixtures.pending("t1", "c1", Fixtures.START, Duration.ofMinutes(3));

        assertThat(record.tenant()).isEqualTo("t1");
        assertThat(record.clientId()).isEqualTo("c1");
        assertThat(record.status()).isEqualTo(AuthorizationStatus.PENDING);
        assertThat(record.version()).isZero();
        assertThat(record.expiresAt()).isEqualTo(Fixtures.START.plusSeconds(180));
        assertThat(record.deviceCodeHash()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(record.userCodeHash()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(record.deviceMetadata()).hasSize(2);
    }

    @Test
    void whenApprovedThenEveryOptionalFieldIsSetAndVersionGrows() {
        DeviceAuthorization pending = Fixtures.pending(Fixtures.START);

        DeviceAuthorization approved = Fixtures.approved(pending, "alice", Fixtures.START.plusSeconds(60));

        assertThat(approved.status()).isEqualTo(AuthorizationStatus.APPROVED);
        assertThat(approved.version()).isEqualTo(pending.version() + 1);
        assertThat(approved.subject()).isEqualTo("alice");
        assertThat(approved.grantedScopes()).isNotEmpty();
        assertThat(approved.claims()).isNotNull();
        assertThat(approved.authTime()).isNotNull();
        assertThat(approved.lastPolledAt()).isNotNull();
        assertThat(approved.interval()).isGreaterThan(pending.interval());
    }

    @Test
    void whenHashingKnownCodesThenStableAndNotTheRawCode() {
        // SHA-256("abc"), base64url: a published test vector
        assertThat(Fixtures.deviceCodeHash("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
        assertThat(Fixtures.userCodeHash("WDJBMJHT")).isEqualTo(Fixtures.userCodeHash("WDJBMJHT"))
                .isNotEqualTo(Fixtures.userCodeHash("WDJBMJHX"))
                .doesNotContain("WDJBMJHT");
    }

    @Test
    void whenWithStatusThenNextVersionWithSubject() {
        DeviceAuthorization pending = Fixtures.pending(Fixtures.START);

        DeviceAuthorization denied = Fixtures.withStatus(pending, AuthorizationStatus.DENIED);

        assertThat(denied.status()).isEqualTo(AuthorizationStatus.DENIED);
        assertThat(denied.version()).isEqualTo(1);
        assertThat(denied.subject()).isNotNull();
    }

    @Test
    void whenGrantThenActiveWithEveryFieldSetAndIdTheAuthorizationId() {
        Grant grant = Fixtures.grant("t1", "alice", Fixtures.START);

        assertThat(grant.tenant()).isEqualTo("t1");
        assertThat(grant.subject()).isEqualTo("alice");
        assertThat(grant.id()).isEqualTo(grant.authorizationId());
        assertThat(grant.status()).isEqualTo(GrantStatus.ACTIVE);
        assertThat(grant.version()).isZero();
        assertThat(grant.expiresAt()).isEqualTo(Fixtures.START.plus(Fixtures.GRANT_LIFETIME));
        assertThat(grant.refreshTokenHash()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(grant.claims()).isNotNull();
        assertThat(grant.authTime()).isNotNull();
        assertThat(grant.dpopJkt()).isNotNull();
        assertThat(grant.deviceMetadata()).hasSize(2);
        assertThat(Fixtures.grant("t1", "alice", Fixtures.START).id()).isNotEqualTo(grant.id());
    }

    @Test
    void whenRotatedThenNextVersionWithAFreshHashAndAMovedDeadline() {
        Grant grant = Fixtures.grant("t1", "alice", Fixtures.START);

        Grant rotated = Fixtures.rotated(grant, Fixtures.START.plusSeconds(60));

        assertThat(rotated.version()).isEqualTo(1);
        assertThat(rotated.refreshTokenHash()).isNotEqualTo(grant.refreshTokenHash());
        assertThat(rotated.lastUsedAt()).isEqualTo(Fixtures.START.plusSeconds(60));
        assertThat(rotated.expiresAt()).isEqualTo(Fixtures.START.plusSeconds(60).plus(Fixtures.GRANT_LIFETIME));
        assertThat(rotated.id()).isEqualTo(grant.id());
    }

    @Test
    void whenRevokedThenNextVersionRevokedWithItsHashKept() {
        Grant grant = Fixtures.grant("t1", "alice", Fixtures.START);

        Grant revoked = Fixtures.revoked(grant, Fixtures.START.plusSeconds(5));

        assertThat(revoked.status()).isEqualTo(GrantStatus.REVOKED);
        assertThat(revoked.revokedAt()).isEqualTo(Fixtures.START.plusSeconds(5));
        assertThat(revoked.version()).isEqualTo(1);
        assertThat(revoked.refreshTokenHash()).isEqualTo(grant.refreshTokenHash());
    }

    @Test
    void whenHashingARefreshTokenThenSha256Base64Url() {
        // SHA-256("abc"), base64url: a published test vector
        assertThat(Fixtures.refreshTokenHash("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }
}
