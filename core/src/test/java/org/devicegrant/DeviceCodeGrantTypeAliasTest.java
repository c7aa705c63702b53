package org.devicegrant;

import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.json;

/**
 * The opt-in, per-tenant alias {@code grant_type=device_code} for the URN of RFC 8628 §3.4, which
 * some products' devices send: accepted only where a tenant turns it on, in a form or a JSON body;
 * never advertised.
 */
class DeviceCodeGrantTypeAliasTest {

    private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    private final TestGrants t = new TestGrants();
    /** The default tenant takes the alias; every other tenant inherits, and so does not. */
    private final DeviceGrant aliased = t.grant(TestGrants.ENDPOINTS.withJsonBodies(), b -> b.tenantSettings(
            tenant -> tenant.equals(TENANT) ? DeviceSettings.inherit().withDeviceCodeGrantTypeAlias(true)
                    : DeviceSettings.inherit()));

    private static DeviceGrantRequest jsonRequest(String body) {
        return DeviceGrantRequest.builder().method("POST").header("Content-Type", "application/json")
                .body(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static DeviceGrantRequest camelCasePoll(String deviceCode) {
        return jsonRequest("{\"grantType\":\"device_code\",\"clientId\":\"tv\",\"deviceCode\":\"" + deviceCode + "\"}");
    }

    /** A device code of client tv, approved by alice for openid. */
    private String approvedDeviceCode(DeviceGrant grant) {
        TestGrants.Issued issued = TestGrants.authorize(grant, "tv", "openid");
        grant.verification().approve(TENANT, issued.userCode(), "alice", Set.of("openid"), Map.of(), null);
        return issued.deviceCode();
    }

    @Test
    @DisplayName("D21: a tenant that opted in takes {\"grantType\":\"device_code\"} in JSON as the device-code URN")
    void pollWhenTenantTakesTheAliasAndJsonSaysGrantTypeDeviceCodeThenTheDeviceCodeGrant() {
        TestGrants.Issued issued = TestGrants.authorize(aliased, "tv", "openid");
        assertThat(error(aliased.token(camelCasePoll(issued.deviceCode())))).isEqualTo("authorization_pending");
        aliased.verification().approve(TENANT, issued.userCode(), "alice", Set.of("openid"), Map.of(), null);
        t.clock.advance(Duration.ofSeconds(5));

        DeviceGrantResponse tokens = aliased.token(camelCasePoll(issued.deviceCode()));

        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(json(tokens)).containsKeys("access_token", "id_token").containsEntry("token_type", "Bearer");
    }

    @Test
    @DisplayName("D21: a tenant that opted in takes grant_type=device_code in a form as the device-code URN")
    void pollWhenTenantTakesTheAliasAndFormSaysGrantTypeDeviceCodeThenTheDeviceCodeGrant() {
        String deviceCode = approvedDeviceCode(aliased);

        DeviceGrantResponse tokens = aliased.token(form("grant_type", "device_code", "device_code", deviceCode,
                "client_id", "tv"));

        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        // the alias is the same grant: the code is now spent for both spellings
        assertThat(error(aliased.token(form("grant_type", DEVICE_GRANT, "device_code", deviceCode, "client_id", "tv"))))
                .isEqualTo("invalid_grant");
    }

    @Test
    @DisplayName("D21: without the opt-in, grant_type=device_code is unsupported_grant_type, in JSON and in a form")
    void pollWhenAliasOffThenUnsupportedGrantTypeNamingTheUrnAndTheCodeStaysRedeemable() {
        DeviceGrant plain = t.grant(TestGrants.ENDPOINTS.withJsonBodies(), b -> b);
        String deviceCode = approvedDeviceCode(plain);

        DeviceGrantResponse viaJson = plain.token(camelCasePoll(deviceCode));
        DeviceGrantResponse viaForm = plain.token(form("grant_type", "device_code", "device_code", deviceCode,
                "client_id", "tv"));

        for (DeviceGrantResponse refused : List.of(viaJson, viaForm)) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(json(refused)).containsEntry("error", "unsupported_grant_type")
                    .containsEntry("error_description", "grant_type device_code is not accepted here; use "
                            + DEVICE_GRANT);
        }
        assertThat(plain.token(form("grant_type", DEVICE_GRANT, "device_code", deviceCode, "client_id", "tv"))
                .status()).isEqualTo(200);
    }

    @Test
    @DisplayName("D21: the alias is per tenant: a tenant that did not opt in refuses it")
    void pollWhenAnotherTenantOfTheSameGrantDidNotOptInThenUnsupportedGrantType() {
        DeviceGrantResponse refused = aliased.token(form("grant_type", "device_code", "device_code", "x",
                "client_id", "tv").toBuilder().tenant("acme").build());

        assertThat(error(refused)).isEqualTo("unsupported_grant_type");
        assertThat(aliased.handlesGrantType(TENANT, "device_code")).isTrue();
        assertThat(aliased.handlesGrantType("acme", "device_code")).isFalse();
        assertThat(aliased.handlesGrantType("acme", DEVICE_GRANT)).isTrue();
        // without a tenant, only the URN
        assertThat(aliased.handlesGrantType("device_code")).isFalse();
    }

    @ParameterizedTest
    @DisplayName("D21: only the exact short name device_code is an alias")
    @ValueSource(strings = {"DEVICE_CODE", "device-code", "devicecode", "refresh",
            "urn:ietf:params:oauth:grant-type:device"})
    void pollWhenAliasOnThenOnlyTheExactShortNameIsTaken(String grantType) {
        String deviceCode = approvedDeviceCode(aliased);

        DeviceGrantResponse refused = aliased.token(form("grant_type", grantType, "device_code", deviceCode,
                "client_id", "tv"));

        assertThat(error(refused)).isEqualTo("unsupported_grant_type");
        assertThat(aliased.handlesGrantType(TENANT, grantType)).isFalse();
    }

    @Test
    @DisplayName("D32: with the alias on, grant_types_supported still names the URN only")
    void metadataWhenAliasOnThenAdvertisesTheUrnOnly() {
        // RFC 8628 §4: the device grant is listed by its URN; the alias is not a grant type of its own
        assertThat(aliased.metadata().get("grant_types_supported")).isEqualTo(List.of(DEVICE_GRANT));
    }

    @Test
    void aliasWhenSetOnAClientThenRefusedAsATenantSetting() {
        DeviceSettings withAlias = DeviceSettings.inherit().withDeviceCodeGrantTypeAlias(true);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> OAuthClient.builder("tv").deviceSettings(withAlias).build())
                .withMessage("client tv: deviceCodeGrantTypeAlias is a tenant setting "
                        + "(DeviceGrant.Builder#tenantSettings), not a client's");
        assertThat(DeviceSettings.inherit().deviceCodeGrantTypeAlias()).isNull();
        assertThat(DeviceSettings.inherit().over(withAlias).deviceCodeGrantTypeAlias()).isTrue();
    }
}
