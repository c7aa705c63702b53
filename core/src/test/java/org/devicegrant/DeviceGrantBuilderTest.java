package org.devicegrant;

import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.storage.AttemptPolicy;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link DeviceGrant.Builder#build()} accepts and refuses. */
class DeviceGrantBuilderTest {

    private final TestGrants t = new TestGrants();

    @Test
    void defaultsAre600SecondsAnd5SecondsAndBase20() {
        // SECURITY-TESTS row 19: defaults are 600 s and 5 s
        TestGrants.Issued issued = TestGrants.authorize(t.grant(), "tv", null);
        assertThat(((Number) issued.body().get("expires_in")).intValue()).isEqualTo(600);
        assertThat(((Number) issued.body().get("interval")).intValue()).isEqualTo(5);
        assertThat(issued.userCode()).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
    }

    @ParameterizedTest
    @ValueSource(ints = {30, 59, 3601, 7200})
    void codeLifetimeOutsideSixtyToThreeThousandSixHundredSecondsIsRefused(int seconds) {
        // SECURITY-TESTS row 19: expires_in 30 s or 7,200 s → startup fails with a clear message
        assertThatThrownBy(() -> t.grant(b -> b.codeLifetime(Duration.ofSeconds(seconds))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("codeLifetime").hasMessageContaining("PT1M").hasMessageContaining("PT1H");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 61_000, 1_500})
    void pollingIntervalMustBeOneToSixtyWholeSeconds(long millis) {
        assertThatThrownBy(() -> t.grant(b -> b.pollingInterval(Duration.ofMillis(millis))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pollingInterval");
    }

    @Test
    void D13_customIntervalIsAdvertised() {
        TestGrants.Issued issued = TestGrants.authorize(t.grant(b -> b.pollingInterval(Duration.ofSeconds(1))), "tv", null);
        assertThat(((Number) issued.body().get("interval")).intValue()).isEqualTo(1);
    }

    @Test
    void toleranceAboveHalfTheIntervalIsRefused() {
        assertThatThrownBy(() -> t.grant(b -> b.pollTolerance(Duration.ofSeconds(3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pollTolerance");
    }

    @Test
    void O17_deviceCodeBelowSixteenBytesIsRefused() {
        // SECURITY-TESTS row 13: configuration below 16 bytes rejected at startup
        assertThatThrownBy(() -> t.grant(b -> b.deviceCodeBytes(15)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deviceCodeBytes");
    }

    @Test
    void shortUserCodeKeyIsRefused() {
        assertThatThrownBy(() -> DeviceGrant.builder().issuer(TestGrants.ISSUER).verificationUri(TestGrants.VERIFICATION_URI)
                .store(t.store).attemptLimiter(t.limiter).clientRegistry(t.clients).tokenIssuer(t.jwtIssuer)
                .userCodeKey(new byte[16]).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32");
    }

    @Test
    void missingSettingIsNamed() {
        assertThatThrownBy(() -> DeviceGrant.builder().issuer(TestGrants.ISSUER).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("verificationUri is required");
    }

    @Test
    void settingTwiceIsRefused() {
        DeviceGrant.Builder b = DeviceGrant.builder().issuer(TestGrants.ISSUER);
        assertThatThrownBy(() -> b.issuer(TestGrants.ISSUER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("issuer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://id.example.com", "https://id.example.com?x=1", "https://id.example.com#f", "ftp://x"})
    void M01_issuerMustBeHttpsWithoutQueryOrFragment(String issuer) {
        // RFC 8414 §2: "https" scheme, no query or fragment components
        assertThatThrownBy(() -> DeviceGrant.builder().issuer(URI.create(issuer))
                .verificationUri(TestGrants.VERIFICATION_URI).store(t.store).attemptLimiter(t.limiter)
                .clientRegistry(t.clients).tokenIssuer(t.jwtIssuer).userCodeKey(TestGrants.USER_CODE_KEY).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("issuer");
    }

    @Test
    void REQ_UC_4_theDocumentedWeakConfigurationIsRefused() {
        // SECURITY-TESTS row 10: A = 10,000, F = 1,000 per 10 min, 8 chars → E_day = 0.056 > 0.01: fails
        AttemptPolicy policy = new AttemptPolicy(5, Duration.ofMinutes(1), 20, Duration.ofMinutes(10),
                Duration.ofMinutes(1), Duration.ofMinutes(15), 1_000, Duration.ofMinutes(10));
        TestGrants weak = new TestGrants(InMemoryDeviceAuthorizationStore.create(), new InMemoryAttemptLimiter(policy));
        assertThatThrownBy(() -> weak.grant(b -> b.maxPendingPerTenant(10_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REQ-UC-4").hasMessageContaining("E_day = 5.6e-02");
    }

    @Test
    void REQ_UC_4_defaultsPassWithTheDocumentedEstimate() {
        // A_max = 1,000, F = 100 per minute: E_day = 144,000 · 1,000 / 2.56·10^10 = 5.6·10^-3
        DeviceGrant grant = t.grant();
        assertThat(grant.bruteForceRisk().expectedHitsPerDay()).isCloseTo(5.625e-3, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void REQ_UC_4_weakFormatCanBeAcceptedExplicitly() {
        assertThatThrownBy(() -> t.grant(b -> b.userCodeFormat(UserCodeFormat.DIGITS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userCodeFormat");
        DeviceGrant accepted = new TestGrants().grant(b -> b.userCodeFormat(UserCodeFormat.DIGITS).acceptBruteForceRisk());
        assertThat(TestGrants.authorize(accepted, "tv", null).userCode()).matches("\\d{3}-\\d{3}-\\d{3}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void D32_M02_M03_M04_C07_metadataAdvertisesTheDeviceEndpointGrantAndAuthMethods() {
        // RFC 8628 §4: device_authorization_endpoint, and the grant type in grant_types_supported
        Map<String, Object> metadata = t.grant().metadata();
        assertThat(metadata.get("device_authorization_endpoint")).isEqualTo("https://id.example.com/oauth2/device_authorization");
        assertThat((List<Object>) metadata.get("grant_types_supported")).containsExactly("urn:ietf:params:oauth:grant-type:device_code");
        assertThat((List<Object>) metadata.get("token_endpoint_auth_methods_supported")).contains("none", "client_secret_basic");
    }

    @Test
    void hostTokenEndpointCanDispatchByGrantType() {
        DeviceGrant grant = t.grant();
        assertThat(grant.handlesGrantType("urn:ietf:params:oauth:grant-type:device_code")).isTrue();
        assertThat(grant.handlesGrantType("authorization_code")).isFalse();
    }
}
