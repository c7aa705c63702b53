package org.devicegrant;

import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.json;

/** D37 (RFC 8628 §5.4): what is known of the device reaches the consent screen. */
class DeviceMetadataTest {

    private final TestGrants t = new TestGrants();
    private final DeviceGrant grant = t.grant();

    @Test
    void D37_deviceDescriptionAddressAndUserAgentReachTheConsentScreen() {
        DeviceGrantRequest request = form("client_id", "tv", "device_metadata", "Living room <TV> model X")
                .toBuilder().remoteAddress("198.51.100.23").header("User-Agent", "SmartTV/2.1\u0007").build();
        DeviceGrantResponse response = grant.deviceAuthorization(request);
        t.advance(Duration.ofSeconds(30));

        LookupResult.Pending pending = (LookupResult.Pending) grant.verification()
                .lookup(TENANT, (String) json(response).get("user_code"), "ip");

        assertThat(pending.deviceMetadata())
                .containsEntry(DeviceMetadata.DESCRIPTION, "Living room <TV> model X")
                .containsEntry(DeviceMetadata.IP_ADDRESS, "198.51.100.23")
                .containsEntry(DeviceMetadata.USER_AGENT, "SmartTV/2.1");
        assertThat(pending.requestedAt()).isEqualTo(TestGrants.START);
    }

    @Test
    void overlongOrControlCharacterDescriptionIsInvalidRequestAndStoresNothing() {
        for (String bad : new String[] {"x".repeat(DeviceMetadata.MAX_DESCRIPTION_LENGTH + 1), "line\nbreak"}) {
            DeviceGrantResponse response = grant.deviceAuthorization(form("client_id", "tv", "device_metadata", bad));
            assertThat(response.status()).isEqualTo(400);
            assertThat(error(response)).isEqualTo("invalid_request");
        }
        assertThat(t.store.countPending(TENANT, t.clock.instant())).isZero();
    }

    @Test
    void longUserAgentIsCut() {
        DeviceGrantResponse response = grant.deviceAuthorization(form("client_id", "tv").toBuilder()
                .header("User-Agent", "a".repeat(5000)).build());
        LookupResult.Pending pending = (LookupResult.Pending) grant.verification()
                .lookup(TENANT, (String) json(response).get("user_code"), "ip");
        assertThat(pending.deviceMetadata().get(DeviceMetadata.USER_AGENT)).hasSize(256);
    }
}
