package org.devicegrant;

import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.code.CodeHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.InOrder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.basic;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.json;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/** The device authorization endpoint, RFC 8628 §3.1–3.2. */
class DeviceAuthorizationEndpointTest {

    private final TestGrants t = new TestGrants();
    private final DeviceGrant grant = t.grant();

    @Test
    @org.junit.jupiter.api.DisplayName("D07 D08 D09 D10 D11 D12 D13: success carries every parameter of RFC 8628 §3.2")
    void D07_D13_successCarriesEveryParameterOfSection3_2() {
        // RFC 8628 §3.2: device_code, user_code, verification_uri, expires_in REQUIRED;
        // verification_uri_complete and interval OPTIONAL (we always send them)
        DeviceGrantResponse response = grant.deviceAuthorization(form("client_id", "tv", "scope", "openid profile"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        Map<String, Object> body = json(response);
        assertThat(body).containsKeys("device_code", "user_code", "verification_uri", "verification_uri_complete",
                "expires_in", "interval");
        assertThat(body.get("verification_uri")).isEqualTo("https://id.example.com/device");
        assertThat((String) body.get("user_code")).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
        assertThat(body.get("verification_uri_complete"))
                .isEqualTo("https://id.example.com/device?user_code=" + body.get("user_code"));
        assertThat(((Number) body.get("expires_in")).intValue()).isEqualTo(600);
        assertThat(((Number) body.get("interval")).intValue()).isEqualTo(5);
    }

    @Test
    void O10_successIsNeverCached() {
        // RFC 6749 §5.1 (applied to the device authorization response, which carries device_code):
        // "Cache-Control" "no-store" and "Pragma" "no-cache"
        DeviceGrantResponse response = grant.deviceAuthorization(form("client_id", "tv"));
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.header("Pragma")).hasValue("no-cache");
    }

    @Test
    void D34_O17_deviceCodeHas256RandomBitsAndIsStoredOnlyAsItsHash() {
        // RFC 8628 §5.2: the device code SHOULD have very high entropy; RFC 6749 §10.10: ≤ 2^-128 guessing
        TestGrants.Issued issued = TestGrants.authorize(grant, "tv", null);
        byte[] raw = Base64.getUrlDecoder().decode(issued.deviceCode());
        assertThat(raw).hasSize(32);

        CodeHasher hasher = new CodeHasher(TestGrants.USER_CODE_KEY);
        Optional<DeviceAuthorization> stored = t.store.findByDeviceCodeHash(TENANT, hasher.deviceCodeHash(issued.deviceCode()));
        assertThat(stored).isPresent();
        String normalized = UserCodeFormat.BASE20.normalize(issued.userCode()).orElseThrow();
        assertThat(stored.get().userCodeHash()).isEqualTo(hasher.userCodeHash(normalized));
        assertThat(stored.get().toString()).doesNotContain(issued.deviceCode()).doesNotContain(normalized)
                .doesNotContain(issued.userCode());
    }

    @Test
    void D07_eachRequestGetsNewCodes() {
        TestGrants.Issued a = TestGrants.authorize(grant, "tv", null);
        TestGrants.Issued b = TestGrants.authorize(grant, "tv", null);
        assertThat(a.deviceCode()).isNotEqualTo(b.deviceCode());
        assertThat(a.userCode()).isNotEqualTo(b.userCode());
    }

    @Test
    void requestedScopesAreStoredAndAbsentScopeMeansNone() {
        TestGrants.Issued withScope = TestGrants.authorize(grant, "tv", "openid email");
        TestGrants.Issued without = TestGrants.authorize(grant, "tv", null);
        CodeHasher hasher = new CodeHasher(TestGrants.USER_CODE_KEY);

        assertThat(t.store.findByDeviceCodeHash(TENANT, hasher.deviceCodeHash(withScope.deviceCode())).orElseThrow()
                .requestedScopes()).containsExactlyInAnyOrder("openid", "email");
        assertThat(t.store.findByDeviceCodeHash(TENANT, hasher.deviceCodeHash(without.deviceCode())).orElseThrow()
                .requestedScopes()).isEmpty();
    }

    @Test
    void D05_O03_confidentialClientAuthenticatesWithBasic() {
        DeviceGrantResponse response = grant.deviceAuthorization(basic(form("scope", "openid"), "confidential", "s3cret"));
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void O12_badBasicCredentialsGet401WithWwwAuthenticate() {
        // RFC 6749 §5.2: if the client used the Authorization header, 401 and WWW-Authenticate
        DeviceGrantResponse response = grant.deviceAuthorization(basic(form(), "confidential", "wrong"));
        assertThat(response.status()).isEqualTo(401);
        assertThat(error(response)).isEqualTo("invalid_client");
        assertThat(response.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic"));
    }

    @Test
    void D02_unknownClientIsInvalidClient() {
        DeviceGrantResponse response = grant.deviceAuthorization(form("client_id", "nobody"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_client");
        assertThat(response.header("WWW-Authenticate")).isEmpty();
    }

    @Test
    void O01_twoAuthenticationMethodsAreInvalidRequest() {
        // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
        DeviceGrantResponse response = grant.deviceAuthorization(
                basic(form("client_id", "confidential", "client_secret", "s3cret"), "confidential", "s3cret"));
        assertThat(error(response)).isEqualTo("invalid_request");
    }

    @Test
    void clientWithoutTheDeviceGrantIsUnauthorizedClient() {
        DeviceGrantResponse response = grant.deviceAuthorization(form("client_id", "web-only"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("unauthorized_client");
    }

    @Test
    void disabledClientIsUnauthorizedClientAndNothingIsStored() {
        // SECURITY-TESTS row 18: a disabled client gets unauthorized_client
        DeviceGrantResponse response = grant.deviceAuthorization(form("client_id", "disabled"));
        assertThat(error(response)).isEqualTo("unauthorized_client");
        assertThat(t.store.countPending(TENANT, t.clock.instant())).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "openid admin", "openid  profile", "openid\"x"})
    void D03_scopeOutsideTheClientsAllowedScopesIsInvalidScope(String scope) {
        DeviceGrantResponse response = grant.deviceAuthorization(form("client_id", "tv", "scope", scope));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_scope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_id=tv&client_id=tv", "client_id=tv&scope=openid&scope=openid"})
    void O07_repeatedParameterIsInvalidRequest(String body) {
        // RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once."
        DeviceGrantResponse response = grant.deviceAuthorization(DeviceGrantRequest.form(body));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
        assertThat((String) json(response).get("error_description")).contains("repeated");
    }

    @Test
    void O07_emptyParameterIsTreatedAsOmittedAndUnknownParametersAreIgnored() {
        DeviceGrantResponse response = grant.deviceAuthorization(DeviceGrantRequest.form("client_id=tv&scope=&foo=bar"));
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void D01_getIsRefusedWith405() {
        DeviceGrantResponse response = grant.deviceAuthorization(
                DeviceGrantRequest.builder().method("GET").build());
        assertThat(response.status()).isEqualTo(405);
        assertThat(error(response)).isEqualTo("invalid_request");
        assertThat(response.header("Allow")).hasValue("POST");
    }

    @Test
    void D01_wrongContentTypeIsInvalidRequest() {
        DeviceGrantResponse response = grant.deviceAuthorization(DeviceGrantRequest.builder().method("POST")
                .header("Content-Type", "text/plain").body("client_id=tv".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
    }

    @Test
    void D01_contentTypeWithCharsetIsAccepted() {
        DeviceGrantResponse response = grant.deviceAuthorization(DeviceGrantRequest.builder().method("POST")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .body("client_id=tv".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(response.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded; charset=utf-8",
            "application/x-www-form-urlencoded;charset=\"UTF-8\"", "Application/X-WWW-Form-Urlencoded ; Charset = Utf-8"})
    void D01_utf8DeclaredInAnySpellingIsAccepted(String contentType) {
        DeviceGrantResponse response = grant.deviceAuthorization(formWithContentType(contentType, "client_id=tv"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ISO-8859-1", "us-ascii", "windows-1252", "utf-16", "utf8", "\"\"", "utf-8; charset=latin1"})
    void D01_declaredCharsetOtherThanUtf8IsInvalidRequest(String charset) {
        // RFC 6749 Appendix B: names and values are encoded using UTF-8 before percent-encoding, so a
        // body declared in another charset was not encoded as this endpoint reads it
        DeviceGrantResponse response = grant.deviceAuthorization(
                formWithContentType("application/x-www-form-urlencoded; charset=" + charset, "client_id=tv"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
        assertThat((String) json(response).get("error_description")).contains("UTF-8");
        assertThat(t.store.countPending(TENANT, t.clock.instant())).isZero();
    }

    @Test
    void D01_twoContentTypeHeadersAreInvalidRequest() {
        // RFC 9110 §8.3: Content-Type is a single media type; two are two readings of one body
        DeviceGrantResponse response = grant.deviceAuthorization(DeviceGrantRequest.builder().method("POST")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Content-Type", "application/json")
                .body("client_id=tv".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_id=tv&note=%C3", "client_id=tv&note=%FF", "client_id=tv&note=%C3%28",
            "client_id=tv&note=%ED%A0%80"})
    void D01_percentEscapesThatAreNotUtf8AreInvalidRequest(String body) {
        // RFC 6749 Appendix B: the escaped octets are UTF-8; malformed UTF-8 is never read as U+FFFD
        DeviceGrantResponse response = grant.deviceAuthorization(DeviceGrantRequest.form(body));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
        assertThat((String) json(response).get("error_description")).contains("UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_id=t%7", "client_id=tv&note=%G1", "client_id=tv&note=%\u0663\u0663", "client_id=tv&note=%"})
    void D01_brokenPercentEscapesAreInvalidRequest(String body) {
        // the third: Arabic-Indic digits, which Character.digit reads as 3
        DeviceGrantResponse response = grant.deviceAuthorization(DeviceGrantRequest.form(body));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
    }

    @Test
    void D01_rawBytesThatAreNotUtf8AreInvalidRequest() {
        byte[] body = {'c', 'l', 'i', 'e', 'n', 't', '_', 'i', 'd', '=', 't', 'v', '&', 'n', '=', (byte) 0xE9};
        DeviceGrantResponse response = grant.deviceAuthorization(
                formWithContentType("application/x-www-form-urlencoded", body));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
    }

    @Test
    void D01_utf8ValuesEscapedOrRawAndPlusAsSpaceAreDecoded() {
        DeviceGrantResponse escaped = grant.deviceAuthorization(
                DeviceGrantRequest.form("client_id=tv&device_metadata=Caf%C3%A9+TV+%E2%82%AC"));
        DeviceGrantResponse raw = grant.deviceAuthorization(formWithContentType("application/x-www-form-urlencoded",
                "client_id=tv&device_metadata=Café TV €".getBytes(StandardCharsets.UTF_8)));
        for (DeviceGrantResponse response : new DeviceGrantResponse[] {escaped, raw}) {
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(grant.verification().lookup(TENANT, (String) json(response).get("user_code"), "203.0.113.1"))
                    .isInstanceOfSatisfying(LookupResult.Pending.class, pending -> assertThat(pending.deviceMetadata())
                            .containsEntry(DeviceMetadata.DESCRIPTION, "Café TV €"));
        }
    }

    private static DeviceGrantRequest formWithContentType(String contentType, String body) {
        return formWithContentType(contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static DeviceGrantRequest formWithContentType(String contentType, byte[] body) {
        return DeviceGrantRequest.builder().method("POST").header("Content-Type", contentType).body(body).build();
    }

    @Test
    void perClientCapAnswers429SlowDownNotServerError() {
        // SECURITY-TESTS row 17: over the cap, a clear error; the store stays bounded
        DeviceGrant capped = new TestGrants().grant(b -> b.codePolicy(CodePolicy.defaults().withMaxPendingPerClient(3)));
        for (int i = 0; i < 3; i++) {
            TestGrants.authorize(capped, "tv", null);
        }
        DeviceGrantResponse response = capped.deviceAuthorization(form("client_id", "tv"));
        assertThat(response.status()).isEqualTo(429);
        assertThat(error(response)).isEqualTo("slow_down");
        assertThat((String) json(response).get("error_description"))
                .isEqualTo("Too many device authorizations are pending for this client; try again later");
        assertThat(capped.deviceAuthorization(form("client_id", "other-tv")).status())
                .as("another client is not affected").isEqualTo(200);
    }

    @Test
    void perTenantCapCountsEveryClient() {
        TestGrants fresh = new TestGrants();
        DeviceGrant capped = fresh.grant(b -> b.codePolicy(CodePolicy.defaults().withMaxPendingPerTenant(2)));
        TestGrants.authorize(capped, "tv", null);
        TestGrants.authorize(capped, "other-tv", null);
        DeviceGrantResponse response = capped.deviceAuthorization(form("client_id", "confidential", "client_secret", "s3cret"));
        assertThat(response.status()).isEqualTo(429);
        assertThat(error(response)).isEqualTo("slow_down");
        assertThat((String) json(response).get("error_description"))
                .isEqualTo("Too many device authorizations are pending on this server; try again later");
        assertThat(fresh.store.countPending(TENANT, fresh.clock.instant())).isEqualTo(2);
    }

    @Test
    void issuedCodesTellTheListenerOnceAndRefusalsNever() {
        DeviceGrantListener listener = mock(DeviceGrantListener.class);
        DeviceGrant observed = new TestGrants().grant(b -> b.hooks(Hooks.defaults().withListener(listener))
                .codePolicy(CodePolicy.defaults().withMaxPendingPerClient(1)));
        TestGrants.Issued first = TestGrants.authorize(observed, "tv", null);
        assertThat(observed.deviceAuthorization(form("client_id", "tv")).status()).as("cap reached").isEqualTo(429);
        assertThat(error(observed.deviceAuthorization(form("client_id", "nobody")))).isEqualTo("invalid_client");
        assertThat(error(observed.deviceAuthorization(form("client_id", "tv", "scope", "admin"))))
                .isEqualTo("invalid_scope");
        TestGrants.Issued second = TestGrants.authorize(observed, "other-tv", null);

        InOrder inOrder = inOrder(listener);
        inOrder.verify(listener).onEvent(new DeviceGrantEvent(DeviceGrantEvent.Type.ISSUED, TENANT,
                authorizationId(observed, first), "tv", TestGrants.START, ""));
        inOrder.verify(listener).onEvent(new DeviceGrantEvent(DeviceGrantEvent.Type.ISSUED, TENANT,
                authorizationId(observed, second), "other-tv", TestGrants.START, ""));
        verifyNoMoreInteractions(listener);
    }

    private static String authorizationId(DeviceGrant g, TestGrants.Issued issued) {
        return ((LookupResult.Pending) g.verification().lookup(TENANT, issued.userCode(), "ip")).authorizationId();
    }

    @Test
    void D11_verificationUriCompleteCanBeShapedByTheHost() {
        DeviceGrant custom = new TestGrants().grant(TestGrants.ENDPOINTS.withVerificationUriComplete(
                code -> java.net.URI.create("https://id.example.com/d/" + code)), b -> b);
        TestGrants.Issued issued = TestGrants.authorize(custom, "tv", null);
        assertThat(issued.body().get("verification_uri_complete")).isEqualTo("https://id.example.com/d/" + issued.userCode());
    }

    @Test
    void D14_errorsUseTheTokenEndpointErrorFormat() {
        // RFC 8628 §3.2: errors of this endpoint follow RFC 6749 §5.2: JSON with error and error_description
        DeviceGrantResponse response = grant.deviceAuthorization(form("client_id", "tv", "scope", "admin"));
        assertThat(response.contentType()).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(json(response)).containsOnlyKeys("error", "error_description");
    }

    @Test
    void O05_clientSecretGuessingFromOneAddressIsRateLimited() {
        // RFC 6749 §2.3.1: endpoints using password authentication MUST be protected against brute force
        for (int i = 0; i < 5; i++) {
            assertThat(error(grant.deviceAuthorization(basic(form(), "confidential", "guess" + i)))).isEqualTo("invalid_client");
        }
        DeviceGrantResponse right = grant.deviceAuthorization(basic(form(), "confidential", "s3cret"));
        assertThat(right.status()).as("refused although right: the budget is spent").isEqualTo(401);
        assertThat(grant.deviceAuthorization(form("client_id", "tv")).status()).as("other clients unaffected").isEqualTo(200);
        assertThat(grant.verification().lookup(TENANT, "BCDF-GHJK", "ip"))
                .as("user-code budget untouched").isInstanceOf(LookupResult.NotFound.class);

        t.advance(java.time.Duration.ofMinutes(16));
        assertThat(grant.deviceAuthorization(basic(form(), "confidential", "s3cret")).status()).isEqualTo(200);
    }
}
