package org.devicegrant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.internal.IssuerIdentifier;
import org.devicegrant.storage.AttemptPolicy;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.storage.inmemory.InMemoryGrantStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link DeviceGrant.Builder#build()} and the settings records it takes accept and refuse. */
class DeviceGrantBuilderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestGrants t = new TestGrants();

    /** Asserts that {@code call} is refused naming {@code setting} and, in message and accessor, its range. */
    private static void refused(ThrowingCallable call, String setting, String allowed) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidSettingException.class, e -> {
            assertThat(e.setting()).isEqualTo(setting);
            assertThat(e.allowed()).isEqualTo(allowed);
            assertThat(e).hasMessageStartingWith(setting + " must be " + allowed + ", was ");
        });
    }

    @Test
    void builderHasAtMostTwelveSettersBesidesBuild() {
        List<String> setters = Arrays.stream(DeviceGrant.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.getName().equals("build"))
                .map(Method::getName).toList();
        assertThat(setters).hasSizeLessThanOrEqualTo(12).doesNotHaveDuplicates();
    }

    @Test
    void defaultsAre600SecondsAnd5SecondsAndBase20() {
        // SECURITY-TESTS row 19: defaults are 600 s and 5 s
        TestGrants.Issued issued = TestGrants.authorize(t.grant(), "tv", null);
        assertThat(((Number) issued.body().get("expires_in")).intValue()).isEqualTo(600);
        assertThat(((Number) issued.body().get("interval")).intValue()).isEqualTo(5);
        assertThat(issued.userCode()).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
    }

    @Test
    void defaultsOfTheSettingsRecordsAreTheDocumentedOnes() {
        CodePolicy codes = CodePolicy.defaults();
        assertThat(codes.userCodeFormat()).isEqualTo(UserCodeFormat.BASE20);
        assertThat(codes.additionalFormats()).isEmpty();
        assertThat(codes.codeLifetime()).isEqualTo(Duration.ofSeconds(600));
        assertThat(codes.deviceCodeBytes()).isEqualTo(32);
        assertThat(codes.maxPendingPerClient()).isEqualTo(100);
        assertThat(codes.maxPendingPerTenant()).isEqualTo(1_000);
        assertThat(codes.acceptedRiskPerDay()).isEqualTo(0.01);
        assertThat(codes.bruteForceRiskAccepted()).isFalse();
        assertThat(Polling.defaults()).isEqualTo(new Polling(Duration.ofSeconds(5), Duration.ofMillis(500)));
        Endpoints endpoints = TestGrants.ENDPOINTS;
        assertThat(endpoints.deviceAuthorizationEndpoint()).hasToString("https://id.example.com/oauth2/device_authorization");
        assertThat(endpoints.tokenEndpoint()).hasToString("https://id.example.com/oauth2/token");
        assertThat(endpoints.acceptJsonBodies()).isFalse();
        assertThat(endpoints.defaultClientId()).isNull();
        assertThat(Hooks.defaults().listener()).isInstanceOf(DeviceGrantListener.slf4j().getClass())
                .isNotSameAs(Hooks.defaults().listener());
        assertThat(Hooks.defaults().revocation()).isNull();
    }

    // ---- CodePolicy ----

    @ParameterizedTest
    @ValueSource(ints = {30, 59, 3601, 7200})
    void codeLifetimeOutsideSixtyToThreeThousandSixHundredSecondsIsRefused(int seconds) {
        // SECURITY-TESTS row 19: expires_in 30 s or 7,200 s → startup fails with a clear message
        refused(() -> CodePolicy.defaults().withCodeLifetime(Duration.ofSeconds(seconds)), "codeLifetime",
                "between PT1M and PT1H");
    }

    @ParameterizedTest
    @ValueSource(ints = {15, 0, -1, 65, 256})
    void O17_deviceCodeBytesOutsideSixteenToSixtyFourIsRefused(int bytes) {
        // SECURITY-TESTS row 13: configuration below 16 bytes rejected at startup (RFC 6749 §10.10)
        refused(() -> CodePolicy.defaults().withDeviceCodeBytes(bytes), "deviceCodeBytes", "between 16 and 64");
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 64})
    void deviceCodeBytesAtTheBoundsAreIssued(int bytes) {
        DeviceGrant grant = t.grant(b -> b.codePolicy(CodePolicy.defaults().withDeviceCodeBytes(bytes)));
        String deviceCode = TestGrants.authorize(grant, "tv", null).deviceCode();
        assertThat(java.util.Base64.getUrlDecoder().decode(deviceCode)).hasSize(bytes);
    }

    @ParameterizedTest
    @CsvSource({"maxPendingPerClient, 0", "maxPendingPerClient, 10000001", "maxPendingPerTenant, 0",
            "maxPendingPerTenant, 10000001"})
    void pendingCapsOutsideOneToTenMillionAreRefused(String setting, long max) {
        refused(() -> {
            if (setting.equals("maxPendingPerClient")) {
                CodePolicy.defaults().withMaxPendingPerClient(max);
            } else {
                CodePolicy.defaults().withMaxPendingPerTenant(max);
            }
        }, setting, "between 1 and 10000000");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.01, 1.01, Double.NaN})
    void acceptedRiskPerDayOutsideZeroExclusiveToOneIsRefused(double risk) {
        refused(() -> CodePolicy.defaults().withAcceptedRiskPerDay(risk), "acceptedRiskPerDay", "in (0, 1]");
    }

    @Test
    void declaredFormatsAreTheDefaultFirstThenTheOthersOnce() {
        CodePolicy codes = CodePolicy.defaults().withAdditionalFormats(UserCodeFormat.DIGITS, UserCodeFormat.BASE20,
                UserCodeFormat.DIGITS);
        assertThat(codes.declaredFormats()).containsExactly(UserCodeFormat.BASE20, UserCodeFormat.DIGITS);
    }

    // ---- Polling ----

    @ParameterizedTest
    @ValueSource(longs = {0, 61_000, 1_500})
    void pollingIntervalMustBeOneToSixtyWholeSeconds(long millis) {
        assertThatThrownBy(() -> Polling.defaults().withInterval(Duration.ofMillis(millis)))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.setting()).isEqualTo("pollingInterval"))
                .hasMessageContaining(millis == 1_500 ? "whole seconds" : "between PT1S and PT1M");
    }

    @Test
    void D13_customIntervalIsAdvertised() {
        DeviceGrant grant = t.grant(b -> b.polling(Polling.defaults().withInterval(Duration.ofSeconds(1))));
        TestGrants.Issued issued = TestGrants.authorize(grant, "tv", null);
        assertThat(((Number) issued.body().get("interval")).intValue()).isEqualTo(1);
    }

    @Test
    void toleranceAboveHalfTheIntervalIsRefused() {
        refused(() -> Polling.defaults().withTolerance(Duration.ofSeconds(3)), "pollTolerance",
                "between PT0S and half of pollingInterval (PT2.5S)");
        refused(() -> Polling.defaults().withTolerance(Duration.ofMillis(-1)), "pollTolerance", "at least PT0S");
        assertThat(Polling.defaults().withInterval(Duration.ofSeconds(1)).tolerance()).isEqualTo(Duration.ofMillis(500));
    }

    // ---- Endpoints ----

    @ParameterizedTest
    @ValueSource(strings = {"http://id.example.com", "https://id.example.com?x=1", "https://id.example.com#f", "ftp://x"})
    void M01_issuerMustBeHttpsWithoutQueryOrFragment(String issuer) {
        // RFC 8414 §2: "https" scheme, no query or fragment components; the rule is IssuerIdentifier's
        refused(() -> Endpoints.of(URI.create(issuer), TestGrants.VERIFICATION_URI), "issuer", IssuerIdentifier.ALLOWED);
    }

    @Test
    void issuerIsCheckedAsTheTokenIssuerChecksIt() {
        // the grant once let user info through and refused [::1]; one check now decides for both
        refused(() -> Endpoints.of(URI.create("https://user@id.example.com"), TestGrants.VERIFICATION_URI), "issuer",
                IssuerIdentifier.ALLOWED);
        assertThat(Endpoints.of(URI.create("http://[::1]:8080"), URI.create("http://[::1]:8080/device"))
                .tokenEndpoint()).hasToString("http://[::1]:8080/oauth2/token");
    }

    @Test
    void missingSettingIsNamed() {
        assertThatThrownBy(() -> Endpoints.of(TestGrants.ISSUER, null))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("verificationUri is required: the URI of the page where users enter the code");
        assertThatThrownBy(() -> DeviceGrant.builder().endpoints(TestGrants.ENDPOINTS).build())
                .isInstanceOf(InvalidSettingException.class).hasMessage("store is required: a DeviceAuthorizationStore");
    }

    // ---- Hooks ----

    @Test
    void withDeviceRevocationKeepsTheOtherHooks() {
        DeviceRevocation hook = (tenant, subject, id) -> { };
        AccountCheck accounts = (tenant, subject, clientId) -> true;
        Hooks defaults = Hooks.defaults();
        Hooks hooks = defaults.withAccountCheck(accounts).withDeviceRevocation(hook);
        assertThat(hooks.revocation()).isSameAs(hook);
        assertThat(hooks.accountCheck()).isSameAs(accounts);
        assertThat(hooks.listener()).isSameAs(defaults.listener());
    }

    // ---- the builder ----

    @Test
    void shortUserCodeKeyIsRefused() {
        assertThatThrownBy(() -> DeviceGrant.builder().endpoints(TestGrants.ENDPOINTS)
                .store(t.store).attemptLimiter(t.limiter).clientRegistry(t.clients).issuance(Issuance.by(t.jwtIssuer))
                .userCodeKey(new byte[16]).build())
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.setting()).isEqualTo("userCodeKey"))
                .hasMessageContaining("32").hasMessageContaining("was 16 bytes");
    }

    @Test
    void settingTwiceIsRefused() {
        DeviceGrant.Builder b = DeviceGrant.builder().endpoints(TestGrants.ENDPOINTS);
        assertThatThrownBy(() -> b.endpoints(TestGrants.ENDPOINTS)).isInstanceOf(IllegalStateException.class)
                .hasMessage("endpoints was already set");
    }

    @Test
    void REQ_UC_4_theDocumentedWeakConfigurationIsRefused() {
        // SECURITY-TESTS row 10: A = 10,000, F = 1,000 per 10 min, 8 chars → E_day = 0.056 > 0.01: fails
        TestGrants weak = new TestGrants(InMemoryDeviceAuthorizationStore.create(), new InMemoryAttemptLimiter(weakPolicy()));
        assertThatThrownBy(() -> weak.grant(b -> b.codePolicy(CodePolicy.defaults().withMaxPendingPerTenant(10_000))))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.setting()).isEqualTo("userCodeFormat"))
                .hasMessageContaining("RFC 8628 §5.1").hasMessageContaining("E_day = 5.6e-02")
                .hasMessageContaining("acceptedRiskPerDay 0.01");
    }

    @Test
    void REQ_UC_4_theAcceptedRiskIsASetting() {
        TestGrants weak = new TestGrants(InMemoryDeviceAuthorizationStore.create(), new InMemoryAttemptLimiter(weakPolicy()));
        DeviceGrant grant = weak.grant(b -> b.codePolicy(CodePolicy.defaults().withMaxPendingPerTenant(10_000)
                .withAcceptedRiskPerDay(0.06)));
        assertThat(grant.bruteForceRisk().expectedHitsPerDay()).isCloseTo(0.05625, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void REQ_UC_4_defaultsPassWithTheDocumentedEstimate() {
        // A_max = 1,000, F = 100 per minute: E_day = 144,000 · 1,000 / 2.56·10^10 = 5.6·10^-3
        DeviceGrant grant = t.grant();
        assertThat(grant.bruteForceRisk().expectedHitsPerDay()).isCloseTo(5.625e-3, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void REQ_UC_4_weakFormatCanBeAcceptedExplicitly() {
        assertThatThrownBy(() -> t.grant(b -> b.codePolicy(CodePolicy.defaults().withUserCodeFormat(UserCodeFormat.DIGITS))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userCodeFormat");
        DeviceGrant accepted = new TestGrants().grant(b -> b.codePolicy(CodePolicy.defaults()
                .withUserCodeFormat(UserCodeFormat.DIGITS).withBruteForceRiskAccepted()));
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

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @DisplayName("M03: a JWT client authentication method is advertised with its signing algorithms, never none")
    @SuppressWarnings("unchecked")
    void M03_jwtAuthenticationMethodsAreAdvertisedWithTheirSigningAlgorithms(boolean grantsKept) throws Exception {
        DeviceGrant grant = grantsKept ? t.grant(Issuance.by(t.jwtIssuer).withGrants(InMemoryGrantStore.create()), b -> b)
                : t.grant();
        Map<String, Object> doc = new LinkedHashMap<>(Map.of("issuer", TestGrants.ISSUER.toString()));
        doc.putAll(grant.metadata());

        AuthorizationServerMetadata parsed = AuthorizationServerMetadata.parse(JSON.writeValueAsString(doc));
        for (String endpoint : List.of("token_endpoint", "revocation_endpoint", "introspection_endpoint")) {
            List<?> methods = (List<?>) doc.getOrDefault(endpoint + "_auth_methods_supported", List.of());
            if (methods.contains("private_key_jwt") || methods.contains("client_secret_jwt")) {
                // RFC 8414 §2: "This metadata entry MUST be present if either of these authentication
                // methods are specified"; "The value "none" MUST NOT be used."
                assertThat((List<Object>) doc.get(endpoint + "_auth_signing_alg_values_supported")).as(endpoint)
                        .isNotEmpty().doesNotContain("none");
            }
        }
        assertThat(parsed.getTokenEndpointJWSAlgs()).extracting(JWSAlgorithm::getName)
                .containsExactly("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
        if (grantsKept) {
            assertThat(parsed.getRevocationEndpointJWSAlgs()).isEqualTo(parsed.getTokenEndpointJWSAlgs());
            assertThat(parsed.getIntrospectionEndpointJWSAlgs()).isEqualTo(parsed.getTokenEndpointJWSAlgs());
        }
    }

    @Test
    @DisplayName("C07: metadata() merged into a host's complete OpenID configuration parses, with the device endpoint in it")
    void C07_metadataMergedIntoACompleteOpenIdConfigurationParses() throws Exception {
        // OpenID Connect Discovery 1.0 §3: what an OpenID Provider with an authorization endpoint publishes
        Map<String, Object> doc = new LinkedHashMap<>(Map.of("issuer", TestGrants.ISSUER.toString(),
                "authorization_endpoint", TestGrants.ISSUER + "/authorize", "jwks_uri", TestGrants.ISSUER + "/jwks",
                "response_types_supported", List.of("code"), "subject_types_supported", List.of("public"),
                "id_token_signing_alg_values_supported", List.of("RS256")));
        doc.putAll(t.grant().metadata());

        OIDCProviderMetadata parsed = OIDCProviderMetadata.parse(JSON.writeValueAsString(doc));
        assertThat(parsed.getDeviceAuthorizationEndpointURI())
                .hasToString("https://id.example.com/oauth2/device_authorization");
        assertThat(parsed.getGrantTypes()).contains(GrantType.DEVICE_CODE);
        assertThat(parsed.getTokenEndpointJWSAlgs()).isNotEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void V01_I01_metadataAdvertisesRevocationAndIntrospectionWithTheirAuthMethodsWhenGrantsAreKept() {
        // RFC 8414 §2: revocation_endpoint, introspection_endpoint and their *_auth_methods_supported
        Map<String, Object> withGrants = t.grant(Issuance.by(t.jwtIssuer).withGrants(InMemoryGrantStore.create()),
                b -> b).metadata();
        Map<String, Object> withoutGrants = t.grant().metadata();
        assertThat(withGrants.get("revocation_endpoint")).isEqualTo("https://id.example.com/oauth2/revoke");
        assertThat((List<Object>) withGrants.get("revocation_endpoint_auth_methods_supported"))
                .containsExactlyInAnyOrder("none", "client_secret_basic", "client_secret_post", "private_key_jwt");
        assertThat(withGrants.get("introspection_endpoint")).isEqualTo("https://id.example.com/oauth2/introspect");
        // RFC 7662 §2.1: the caller must authenticate, so "none" is not offered
        assertThat((List<Object>) withGrants.get("introspection_endpoint_auth_methods_supported"))
                .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "private_key_jwt");
        // without grants nothing can be revoked (RFC 7009 §2.2.1): neither endpoint is advertised
        assertThat(withoutGrants).doesNotContainKeys("revocation_endpoint", "revocation_endpoint_auth_methods_supported",
                "introspection_endpoint", "introspection_endpoint_auth_methods_supported");
        Endpoints placed = TestGrants.ENDPOINTS.withRevocationEndpoint(URI.create("https://id.example.com/revoke"))
                .withIntrospectionEndpoint(URI.create("https://id.example.com/introspect"));
        assertThat(placed.revocationEndpoint()).hasToString("https://id.example.com/revoke");
        assertThat(placed.introspectionEndpoint()).hasToString("https://id.example.com/introspect");
    }

    @Test
    void hostTokenEndpointCanDispatchByGrantType() {
        DeviceGrant grant = t.grant();
        assertThat(grant.handlesGrantType("urn:ietf:params:oauth:grant-type:device_code")).isTrue();
        assertThat(grant.handlesGrantType("authorization_code")).isFalse();
    }

    /** F = 1,000 wrong guesses per 10 minutes, cluster-wide: 144,000 a day. */
    private static AttemptPolicy weakPolicy() {
        return new AttemptPolicy(5, Duration.ofMinutes(1), 20, Duration.ofMinutes(10),
                Duration.ofMinutes(1), Duration.ofMinutes(15), 1_000, Duration.ofMinutes(10));
    }
}
