package org.devicegrant;

import org.devicegrant.internal.GrantRevocation;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.LinkedDevice;
import org.devicegrant.storage.inmemory.InMemoryGrantStore;
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

/**
 * Linked devices: the user's active grants, listed per user once their tokens are issued, and
 * unlinked by revoking the grant, then calling the host's revocation. Without grants kept there are
 * none, and the API says so.
 */
class LinkedDevicesTest {

    private final List<String> hostRevoked = new ArrayList<>();
    private final KeptGrants k = new KeptGrants(InMemoryGrantStore.create(),
            h -> h.withDeviceRevocation((tenant, subject, id) -> hostRevoked.add(subject + "/" + id)));

    @Test
    void redeemedDevicesAreListedWithTheMetadataTheyAskedWith() {
        DeviceGrant grant = k.t.withGrants();
        Map<String, Object> body = TestGrants.json(grant.deviceAuthorization(
                form("client_id", "tv", "scope", "openid", "device_metadata", "Kitchen TV")));
        String userCode = (String) body.get("user_code");
        LookupResult.Pending pending = (LookupResult.Pending) grant.verification().lookup(TENANT, userCode, "ip");
        grant.verification().approve(TENANT, userCode, "alice", Set.of("openid"), Map.of(), null);
        assertThat(poll(grant, "tv", (String) body.get("device_code")).status()).isEqualTo(200);

        List<LinkedDevice> alices = grant.linkedDevices().list(TENANT, "alice");

        assertThat(alices).extracting(LinkedDevice::authorizationId).containsExactly(pending.authorizationId());
        assertThat(alices.get(0).deviceMetadata()).containsEntry(DeviceMetadata.DESCRIPTION, "Kitchen TV");
        assertThat(alices.get(0).scopes()).containsExactly("openid");
        assertThat(alices.get(0).firstUsed()).isEqualTo(TestGrants.START);
    }

    @Test
    void pendingOrDeniedAuthorizationsAreNotLinked() {
        DeviceGrant grant = k.t.withGrants();
        authorize(grant, "tv", null);
        TestGrants.Issued denied = authorize(grant, "tv", null);
        grant.verification().deny(TENANT, denied.userCode(), "alice");
        assertThat(poll(grant, "tv", denied.deviceCode()).status()).isEqualTo(400);

        assertThat(grant.linkedDevices().list(TENANT, "alice")).isEmpty();
    }

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

    // ---- without grants kept ----

    @Test
    void linkedDevicesWhenGrantsAreNotKeptThenIllegalStateNamingWithGrants() {
        TestGrants t = new TestGrants();
        DeviceGrant grant = t.grant();
        t.redeem(grant, "tv", "alice", Set.of("openid"), null);

        assertThatThrownBy(grant::linkedDevices).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Issuance#withGrants").hasMessageContaining("withGrants(store)");
    }

    @Test
    void revocationHookWhenGrantsAreNotKeptThenRefusedAtBuild() {
        TestGrants t = new TestGrants();

        assertThatThrownBy(() -> t.grant(b -> b.hooks(Hooks.defaults().withDeviceRevocation((te, s, i) -> { }))))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("revocation")
                .hasMessageContaining("Issuance#withGrants");
    }
}
