package org.devicegrant;

import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    @ParameterizedTest
    @ValueSource(strings = {"{\"client_id\":\"tv\"} {\"client_id\":\"evil\"}", "{\"client_id\":\"tv\"}{}",
            "{\"client_id\":\"tv\"} x", "{\"client_id\":\"tv\"}]", "{\"client_id\":\"tv\"} 1",
            "{\"client_id\":\"tv\"} \"evil\"", "{\"client_id\":\"tv\"}\u0000"})
    void contentAfterTheObjectIsInvalidRequest(String body) {
        // a gateway in front may read the second value where this endpoint reads the first: only
        // whitespace (RFC 8259 §2) may follow the one object
        DeviceGrantResponse response = grant.deviceAuthorization(jsonRequest(body));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
        assertThat((String) json(response).get("error_description")).contains("after the JSON object");
    }

    @Test
    void whitespaceAfterTheObjectIsAccepted() {
        DeviceGrantResponse response = grant.deviceAuthorization(jsonRequest("{\"client_id\":\"tv\"} \r\n\t "));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void tokenRequestWithASecondObjectIsRefusedAndTheCodeStaysRedeemable() {
        DeviceGrantResponse codes = grant.deviceAuthorization(jsonRequest("{\"client_id\":\"tv\",\"scope\":\"openid\"}"));
        Map<String, Object> issued = json(codes);
        grant.verification().approve(TENANT, (String) issued.get("user_code"), "alice", Set.of("openid"), Map.of(), null);
        t.clock.advance(Duration.ofSeconds(5));
        String poll = "{\"grant_type\":\"urn:ietf:params:oauth:grant-type:device_code\","
                + "\"device_code\":\"" + issued.get("device_code") + "\",\"client_id\":\"tv\"}";

        DeviceGrantResponse smuggled = grant.token(jsonRequest(poll + " {\"client_id\":\"evil\"}"));
        assertThat(smuggled.status()).isEqualTo(400);
        assertThat(error(smuggled)).isEqualTo("invalid_request");

        // nothing was read from the refused request: the owner still redeems the code
        DeviceGrantResponse tokens = grant.token(jsonRequest(poll));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16", "utf-16le", "ISO-8859-1", "us-ascii"})
    void declaredCharsetOtherThanUtf8IsInvalidRequest(String charset) {
        // RFC 8259 §8.1: JSON text exchanged between systems MUST be encoded using UTF-8
        DeviceGrantResponse response = grant.deviceAuthorization(DeviceGrantRequest.builder().method("POST")
                .header("Content-Type", "application/json; charset=" + charset)
                .body("{\"client_id\":\"tv\"}".getBytes(Charset.forName(charset))).build());
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
        assertThat((String) json(response).get("error_description")).contains("UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json;charset=UTF-8", "application/json; charset=\"utf-8\""})
    void utf8DeclaredOrNoCharsetIsAccepted(String contentType) {
        DeviceGrantResponse response = grant.deviceAuthorization(DeviceGrantRequest.builder().method("POST")
                .header("Content-Type", contentType).body("{\"client_id\":\"tv\"}".getBytes(StandardCharsets.UTF_8))
                .build());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void bytesThatAreNotUtf8AreInvalidRequest() {
        byte[] latin1 = "{\"client_id\":\"tv\",\"device_metadata\":\"Caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        DeviceGrantResponse response = grant.deviceAuthorization(DeviceGrantRequest.builder().method("POST")
                .header("Content-Type", "application/json").body(latin1).build());
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
