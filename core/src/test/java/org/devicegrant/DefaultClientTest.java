package org.devicegrant;

import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.basic;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.json;

/** The default device client: used only when a request names no client at all. */
class DefaultClientTest {

    private final TestGrants t = new TestGrants();

    @Test
    void requestWithoutAnyClientUsesTheDefaultClientOnBothEndpoints() {
        DeviceGrant grant = t.grant(TestGrants.ENDPOINTS.withDefaultClientId("tv"), b -> b);
        DeviceGrantResponse codes = grant.deviceAuthorization(DeviceGrantRequest.form("scope=openid"));
        assertThat(codes.status()).isEqualTo(200);
        Map<String, Object> issued = json(codes);
        LookupResult.Pending pending = (LookupResult.Pending) grant.verification()
                .lookup(TENANT, (String) issued.get("user_code"), "ip");
        assertThat(pending.clientId()).isEqualTo("tv");

        grant.verification().approve(TENANT, pending.userCode(), "alice", Set.of("openid"), Map.of(), null);
        DeviceGrantResponse tokens = grant.token(form("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", (String) issued.get("device_code")));
        assertThat(tokens.status()).isEqualTo(200);
    }

    @Test
    void namedClientsAndCredentialsAreNeverReplacedByTheDefault() {
        DeviceGrant grant = t.grant(TestGrants.ENDPOINTS.withDefaultClientId("tv"), b -> b);
        assertThat(error(grant.deviceAuthorization(form("client_id", "nobody")))).isEqualTo("invalid_client");
        assertThat(grant.deviceAuthorization(basic(form(), "confidential", "wrong")).status()).isEqualTo(401);
    }

    @Test
    void withoutADefaultClientARequestWithoutClientIsInvalidClient() {
        assertThat(error(t.grant().deviceAuthorization(DeviceGrantRequest.form("scope=openid")))).isEqualTo("invalid_client");
    }
}
