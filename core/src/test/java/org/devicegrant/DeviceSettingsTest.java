package org.devicegrant;

import org.devicegrant.clientauth.ClientSecret;
import org.devicegrant.clientauth.InMemoryClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.qr.QrCodes;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.json;

/** Settings per tenant and per client: lifetime, interval, user-code format, qr_code, caps. */
class DeviceSettingsTest {

    private static final UserCodeFormat NINE_DIGITS = UserCodeFormat.DIGITS;
    private final TestGrants t = new TestGrants();

    private final InMemoryClientRegistry clients = InMemoryClientRegistry.builder()
            .client("acme", OAuthClient.builder("tv").build())
            .client("acme", OAuthClient.builder("kiosk").deviceSettings(DeviceSettings.inherit()
                    .withCodeLifetime(Duration.ofSeconds(120)).withPollingInterval(Duration.ofSeconds(2))
                    .withUserCodeFormat(NINE_DIGITS).withQrCode(true).withMaxPending(1)).build())
            .client("globex", OAuthClient.builder("tv").build())
            .client("globex", OAuthClient.builder("console").secret(ClientSecret.sha256("x")).build())
            .build();

    private DeviceGrant grant() {
        return DeviceGrant.builder().endpoints(TestGrants.ENDPOINTS)
                .store(InMemoryDeviceAuthorizationStore.create()).attemptLimiter(new InMemoryAttemptLimiter())
                .clientRegistry(clients).issuance(Issuance.by(t.jwtIssuer)).clock(t.clock).random(t.random)
                .userCodeKey(TestGrants.USER_CODE_KEY)
                // nine digits: E_day = 144,000 · 50 / 10^9 = 0.0072 (REQ-UC-4)
                .codePolicy(CodePolicy.defaults().withAdditionalFormats(NINE_DIGITS).withMaxPendingPerTenant(50))
                .tenantSettings(tenant -> tenant.equals("globex")
                        ? DeviceSettings.inherit().withCodeLifetime(Duration.ofSeconds(300)).withMaxPending(1)
                        : DeviceSettings.inherit())
                .build();
    }

    private static DeviceGrantResponse authorize(DeviceGrant grant, String tenant, String clientId) {
        return grant.deviceAuthorization(form("client_id", clientId).toBuilder().tenant(tenant).build());
    }

    @Test
    void clientSettingsOverrideTheTenantsWhichOverrideTheGrants() {
        DeviceGrant grant = grant();
        Map<String, Object> plain = json(authorize(grant, "acme", "tv"));
        Map<String, Object> kiosk = json(authorize(grant, "acme", "kiosk"));
        Map<String, Object> globex = json(authorize(grant, "globex", "tv"));

        assertThat(((Number) plain.get("expires_in")).intValue()).isEqualTo(600);
        assertThat((String) plain.get("user_code")).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
        assertThat(plain).doesNotContainKey("qr_code");

        assertThat(((Number) kiosk.get("expires_in")).intValue()).isEqualTo(120);
        assertThat(((Number) kiosk.get("interval")).intValue()).isEqualTo(2);
        assertThat((String) kiosk.get("user_code")).matches("\\d{3}-\\d{3}-\\d{3}");

        assertThat(((Number) globex.get("expires_in")).intValue()).isEqualTo(300);
    }

    @Test
    void qrCodeIsAPngDataUriOfVerificationUriComplete() {
        Map<String, Object> kiosk = json(authorize(grant(), "acme", "kiosk"));
        String qr = (String) kiosk.get("qr_code");
        assertThat(qr).startsWith("data:image/png;base64,");
        byte[] png = Base64.getDecoder().decode(qr.substring("data:image/png;base64,".length()));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(png).isEqualTo(QrCodes.png((String) kiosk.get("verification_uri_complete"), 256));
    }

    @Test
    void aCodeOfEveryDeclaredFormatCanBeLookedUpAndApproved() {
        DeviceGrant grant = grant();
        Map<String, Object> kiosk = json(authorize(grant, "acme", "kiosk"));
        String typed = ((String) kiosk.get("user_code")).replace("-", " ");
        LookupResult.Pending pending = (LookupResult.Pending) grant.verification().lookup("acme", typed, "ip");
        assertThat(pending.userCode()).isEqualTo(kiosk.get("user_code"));
        assertThat(grant.verification().approve("acme", typed, "alice", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.Recorded.class);
    }

    @Test
    void capsPerClientAndPerTenant() {
        DeviceGrant grant = grant();
        assertThat(authorize(grant, "acme", "kiosk").status()).isEqualTo(200);
        assertThat(error(authorize(grant, "acme", "kiosk"))).as("client cap of 1").isEqualTo("slow_down");
        assertThat(authorize(grant, "acme", "tv").status()).isEqualTo(200);

        assertThat(authorize(grant, "globex", "tv").status()).isEqualTo(200);
        DeviceGrantResponse second = grant.deviceAuthorization(TestGrants.basic(form(), "console", "x").toBuilder()
                .tenant("globex").build());
        assertThat(second.status()).as("tenant cap of 1").isEqualTo(429);
    }

    @Test
    void undeclaredClientFormatIsServerErrorNotAWeakCode() {
        InMemoryClientRegistry odd = InMemoryClientRegistry.builder().client(DeviceGrantRequest.DEFAULT_TENANT,
                OAuthClient.builder("odd").deviceSettings(DeviceSettings.inherit()
                        .withUserCodeFormat(UserCodeFormat.of("AB", "XXXX"))).build()).build();
        DeviceGrant grant = DeviceGrant.builder().endpoints(TestGrants.ENDPOINTS)
                .store(InMemoryDeviceAuthorizationStore.create()).attemptLimiter(new InMemoryAttemptLimiter())
                .clientRegistry(odd).issuance(Issuance.by(t.jwtIssuer)).clock(t.clock).random(t.random)
                .userCodeKey(TestGrants.USER_CODE_KEY).build();
        assertThat(error(grant.deviceAuthorization(form("client_id", "odd")))).isEqualTo("server_error");
    }

    @Test
    void declaredFormatsAreHeldToTheBruteForceBudget() {
        assertThatThrownBy(() -> t.grant(b -> b.codePolicy(CodePolicy.defaults()
                .withAdditionalFormats(UserCodeFormat.of("BCDFGHJKLMNPQRSTVWXZ", "XXXX")))))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("RFC 8628 §5.1")
                .hasMessageContaining("XXXX with E_day");
    }

    @Test
    void aTenantIntervalOfOneSecondFitsTheDefaultTolerance() {
        DeviceGrant grant = t.grant(b -> b.tenantSettings(tenant -> DeviceSettings.inherit()
                .withPollingInterval(Duration.ofSeconds(1))));
        assertThat(((Number) json(authorize(grant, DeviceGrantRequest.DEFAULT_TENANT, "tv")).get("interval")).intValue())
                .isEqualTo(1);
    }

    @Test
    void aTenantIntervalTheToleranceDoesNotFitIsServerErrorNotAFasterPoll() {
        // tolerance 800 ms fits the grant's 5 s, but not half of the tenant's 1 s; SettingsResolverTest
        // shows the message, naming the tenant
        DeviceGrant grant = t.grant(b -> b.polling(Polling.defaults().withTolerance(Duration.ofMillis(800)))
                .tenantSettings(tenant -> DeviceSettings.inherit().withPollingInterval(Duration.ofSeconds(1))));
        assertThat(error(authorize(grant, DeviceGrantRequest.DEFAULT_TENANT, "tv"))).isEqualTo("server_error");
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        // the same ranges as the grant's own settings (CodePolicy, Polling)
        assertThatThrownBy(() -> DeviceSettings.inherit().withCodeLifetime(Duration.ofSeconds(30)))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("codeLifetime must be between PT1M and PT1H, was PT30S");
        assertThatThrownBy(() -> DeviceSettings.inherit().withPollingInterval(Duration.ofMillis(1500)))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("pollingInterval must be whole seconds (interval is sent in seconds), was PT1.5S");
        assertThatThrownBy(() -> DeviceSettings.inherit().withPollingInterval(Duration.ofSeconds(61)))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("pollingInterval must be between PT1S and PT1M, was PT1M1S");
        assertThatThrownBy(() -> DeviceSettings.inherit().withMaxPending(0)).isInstanceOf(InvalidSettingException.class)
                .hasMessage("maxPending must be between 1 and 10000000, was 0");
    }
}
