package org.devicegrant;

import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.json;

/** JSON request bodies, when the host turns them on: the same checks as forms. */
class JsonBodyTest {

    private final TestGrants t = new TestGrants();
    private final DeviceGrant grant = t.grant(TestGrants.ENDPOINTS.withJsonBodies(), b -> b);

    static DeviceGrantRequest jsonRequest(String body) {
        return DeviceGrantRequest.builder().method("POST").header("Content-Type", "application/json; charset=utf-8")
                .body(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"client_id\":\"tv\",\"scope\":\"openid\"}", "{\"clientId\":\"tv\",\"scope\":\"openid\"}"})
    void snakeOrCamelCaseBodiesRunTheWholeFlow(String body) {
        DeviceGrantResponse codes = grant.deviceAuthorization(jsonRequest(body));
        assertThat(codes.status()).isEqualTo(200);
        Map<String, Object> issued = json(codes);
        grant.verification().approve(TENANT, (String) issued.get("user_code"), "alice", Set.of("openid"), Map.of(), null);

        DeviceGrantResponse tokens = grant.token(jsonRequest("{\"grantType\":\"urn:ietf:params:oauth:grant-type:device_code\","
                + "\"deviceCode\":\"" + issued.get("device_code") + "\",\"clientId\":\"tv\"}"));
        assertThat(tokens.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"client_id\":\"tv\",\"client_id\":\"tv\"}",
            "{\"client_id\":\"tv\",\"clientId\":\"tv\"}",
            "{\"client_id\":[\"tv\"]}",
            "{\"client_id\":42}",
            "[\"client_id\",\"tv\"]",
            "{\"client_id\":",
            ""})
    void malformedOrRepeatedJsonIsInvalidRequest(String body) {
        DeviceGrantResponse response = grant.deviceAuthorization(jsonRequest(body));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
    }

    @Test
    void jsonIsRefusedUnlessTheHostTurnsItOn() {
        DeviceGrantResponse response = new TestGrants().grant().deviceAuthorization(jsonRequest("{\"client_id\":\"tv\"}"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
    }
}
