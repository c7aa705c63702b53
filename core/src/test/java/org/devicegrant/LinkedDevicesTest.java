package org.devicegrant;

import org.devicegrant.internal.GrantRevocation;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.LinkedDevice;
import org.devicegrant.storage.inmemory.InMemoryGrantStore;
import org.devicegrant.storage.inmemory.InMemoryLinkedDeviceStore;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.authorize;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.poll;

/** Linked devices: listed per user once their tokens are issued, and unlinked with the host's revocation. */
class LinkedDevicesTest {

    private final TestGrants t = new TestGrants();
    private final List<String> revoked = new ArrayList<>();
    private final DeviceGrant grant = t.grant(b -> b.hooks(Hooks.defaults().withLinkedDevices(
            new InMemoryLinkedDeviceStore(),
            (tenant, subject, authorizationId) -> revoked.add(subject + "/" + authorizationId))));

    /** Runs one device through the whole flow for {@code subject}; returns its authorization id. */
    private String redeem(String subject) {
        Map<String, Object> body = TestGrants.json(grant.deviceAuthorization(
                form("client_id", "tv", "scope", "openid", "device_metadata", "Kitchen TV")));
        String userCode = (String) body.get("user_code");
        LookupResult.Pending p = (LookupResult.Pending) grant.verification().lookup(TENANT, userCode, "ip");
        grant.verification().approve(TENANT, userCode, subject, Set.of("openid"), Map.of(), null);
        assertThat(poll(grant, "tv", (String) body.get("device_code")).status()).isEqualTo(200);
        return p.authorizationId();
    }

    @Test
    void redeemedDevicesAreListedPerUserWithTheirMetadataAndScopes() {
        String first = redeem("alice");
        t.advance(Duration.ofMinutes(1));
        String second = redeem("alice");
        redeem("bob");

        List<LinkedDevice> alices = grant.linkedDevices().list(TENANT, "alice");
        assertThat(alices).extracting(LinkedDevice::authorizationId).containsExactly(second, first);
        assertThat(alices.get(0).deviceMetadata()).containsEntry(DeviceMetadata.DESCRIPTION, "Kitchen TV");
        assertThat(alices.get(0).scopes()).containsExactly("openid");
        assertThat(alices.get(0).clientId()).isEqualTo("tv");
        assertThat(grant.linkedDevices().list(TENANT, "bob")).hasSize(1);
    }

    @Test
    void pendingOrDeniedAuthorizationsAreNotLinked() {
        authorize(grant, "tv", null);
        TestGrants.Issued denied = authorize(grant, "tv", null);
        grant.verification().deny(TENANT, denied.userCode(), "alice");
        assertThat(grant.linkedDevices().list(TENANT, "alice")).isEmpty();
    }

    @Test
    void unlinkRevokesThenRemovesAndOnlyForItsOwner() {
        String id = redeem("alice");

        assertThat(grant.linkedDevices().unlink(TENANT, "mallory", id)).isFalse();
        assertThat(revoked).isEmpty();
        assertThat(grant.linkedDevices().unlink(TENANT, "alice", id)).isTrue();
        assertThat(revoked).containsExactly("alice/" + id);
        assertThat(grant.linkedDevices().list(TENANT, "alice")).isEmpty();
        assertThat(grant.linkedDevices().unlink(TENANT, "alice", id)).isFalse();
    }

    @Test
    void failingRevocationKeepsTheDeviceLinked() {
        DeviceGrant failing = t.grant(b -> b.hooks(Hooks.defaults().withLinkedDevices(new InMemoryLinkedDeviceStore(),
                (tenant, subject, id) -> {
                    throw new IllegalStateException("revocation service down");
                })));
        TestGrants.Issued issued = authorize(failing, "tv", null);
        failing.verification().approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null);
        poll(failing, "tv", issued.deviceCode());
        String id = failing.linkedDevices().list(TENANT, "alice").get(0).authorizationId();

        assertThatThrownBy(() -> failing.linkedDevices().unlink(TENANT, "alice", id)).hasMessageContaining("down");
        assertThat(failing.linkedDevices().list(TENANT, "alice")).hasSize(1);
    }

    @Test
    void recordUseMovesLastUsedForward() {
        String id = redeem("alice");
        t.advance(Duration.ofHours(3));
        grant.linkedDevices().recordUse(TENANT, id);
        LinkedDevice d = grant.linkedDevices().list(TENANT, "alice").get(0);
        assertThat(d.lastUsed()).isEqualTo(d.firstUsed().plus(Duration.ofHours(3)));
    }

    @Test
    void withoutConfigurationTheApiSaysSo() {
        assertThatThrownBy(() -> t.grant().linkedDevices()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Issuance#withGrants").hasMessageContaining("linkedDevices");
    }

    // ---- with grants kept: the linked devices are the active grants ----

    @Nested
    class WithGrantsKept {

        private final List<String> hostRevoked = new ArrayList<>();
        private final KeptGrants k = new KeptGrants(InMemoryGrantStore.create(),
                h -> h.withDeviceRevocation((tenant, subject, id) -> hostRevoked.add(subject + "/" + id)));

        @Test
        void activeGrantsAreListedPerUserMostRecentlyUsedFirst() {
            KeptGrants.Device first = k.redeem("tv", "alice", "openid");
            k.t.advance(Duration.ofMinutes(1));
            KeptGrants.Device second = k.redeem("other-tv", "alice", "offline_access");
            k.redeem("tv", "bob");
            KeptGrants.Device revoked = k.redeem("tv", "alice");
            k.revoke("tv", revoked.refreshToken(), null);

            List<LinkedDevice> alices = k.grant.linkedDevices().list(TENANT, "alice");

            assertThat(alices).extracting(LinkedDevice::authorizationId).containsExactly(second.grantId(), first.grantId());
            assertThat(alices.get(0).clientId()).isEqualTo("other-tv");
            assertThat(alices.get(0).scopes()).containsExactly("offline_access");
            assertThat(alices.get(0).deviceMetadata()).containsEntry(DeviceMetadata.DESCRIPTION, "Kitchen TV");
            assertThat(alices.get(1).firstUsed()).isEqualTo(TestGrants.START);
            assertThat(k.grant.linkedDevices().list(TENANT, "bob")).hasSize(1);
        }

        @Test
        void unlinkRevokesTheGrantSoItsTokensDieThenCallsTheHost() {
            KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");
            assertThat(k.active(device.accessToken())).isTrue();

            assertThat(k.grant.linkedDevices().unlink(TENANT, "alice", device.grantId())).isTrue();

            assertThat(k.stored(device.grantId()).status()).isEqualTo(GrantStatus.REVOKED);
            assertThat(k.active(device.accessToken())).isFalse();
            assertThat(k.active(device.refreshToken())).isFalse();
            assertThat(hostRevoked).containsExactly("alice/" + device.grantId());
            assertThat(k.grant.linkedDevices().list(TENANT, "alice")).isEmpty();
            assertThat(k.events).filteredOn(e -> e.type() == DeviceGrantEvent.Type.GRANT_REVOKED)
                    .extracting(DeviceGrantEvent::detail).containsExactly("unlink");
            assertThat(k.grant.linkedDevices().unlink(TENANT, "alice", device.grantId())).isFalse();
            assertThat(hostRevoked).hasSize(1);
        }

        @Test
        void onlyTheOwnerCanUnlink() {
            KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");

            assertThat(k.grant.linkedDevices().unlink(TENANT, "mallory", device.grantId())).isFalse();
            assertThat(k.grant.linkedDevices().unlink(TENANT, "alice", "no-such-grant")).isFalse();

            assertThat(k.stored(device.grantId()).status()).isEqualTo(GrantStatus.ACTIVE);
            assertThat(hostRevoked).isEmpty();
        }

        @Test
        void unlinkWinsOverAConcurrentRotation() {
            KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");
            Grant listed = k.stored(device.grantId());
            String newest = k.rotate(device); // lands between the read and the compare-and-set

            assertThat(GrantRevocation.revoke(k.store, listed, k.t.clock.instant())).isTrue();

            assertThat(k.active(newest)).isFalse();
        }

        @Test
        void aFailingHostHookIsPassedOnAndTheGrantStaysRevoked() {
            KeptGrants failing = new KeptGrants(InMemoryGrantStore.create(),
                    h -> h.withDeviceRevocation((tenant, subject, id) -> {
                        throw new IllegalStateException("revocation service down");
                    }));
            KeptGrants.Device device = failing.redeem("tv", "alice", "offline_access");

            assertThatThrownBy(() -> failing.grant.linkedDevices().unlink(TENANT, "alice", device.grantId()))
                    .hasMessageContaining("down");
            assertThat(failing.stored(device.grantId()).status()).isEqualTo(GrantStatus.REVOKED);
        }

        @Test
        void withoutAHostHookUnlinkStillRevokes() {
            KeptGrants plain = new KeptGrants();
            KeptGrants.Device device = plain.redeem("tv", "alice", "offline_access");

            assertThat(plain.grant.linkedDevices().unlink(TENANT, "alice", device.grantId())).isTrue();
            assertThat(plain.stored(device.grantId()).status()).isEqualTo(GrantStatus.REVOKED);
        }

        @Test
        void aLinkedDeviceStoreBesideGrantsIsRefused() {
            assertThatThrownBy(() -> k.t.grant(Issuance.by(k.t.jwtIssuer).withGrants(InMemoryGrantStore.create()),
                    b -> b.hooks(Hooks.defaults().withLinkedDevices(new InMemoryLinkedDeviceStore(), (t, s, i) -> { }))))
                    .isInstanceOf(InvalidSettingException.class).hasMessageContaining("linkedDevices");
        }
    }
}
