package org.devicegrant;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.devicegrant.code.CodeHasher;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.inmemory.InMemoryGrantStore;
import org.devicegrant.token.IssuedTokens;
import org.devicegrant.token.JwtTokenIssuer;
import org.devicegrant.token.TokenIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.basic;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.json;
import static org.devicegrant.TestGrants.poll;
import static org.devicegrant.TestGrants.refresh;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;

/**
 * Grants at redemption and the {@code refresh_token} grant (RFC 6749 §6) with rotation and reuse
 * detection (RFC 9700 §4.14.2), in-process against {@link DeviceGrant} with the in-memory stores
 * and the test clock.
 */
class RefreshTokenTest {

    private static final Set<String> OFFLINE = Set.of("openid", "profile", "offline_access");
    private static final CodeHasher HASHER = new CodeHasher(TestGrants.USER_CODE_KEY);

    private final TestGrants t = new TestGrants();
    private final List<DeviceGrantEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> locked = ConcurrentHashMap.newKeySet();
    private final DeviceGrant grant = t.withGrants(i -> i, b -> b.hooks(Hooks.defaults().withListener(events::add)
            .withAccountCheck((tenant, subject, clientId) -> !locked.contains(subject))));

    // ---- at redemption ----

    @Test
    void R06_redemptionWithOfflineAccessStoresTheGrantWithTheHashOfA256BitRefreshTokenOnly() {
        // RFC 6749 §10.10: the probability of guessing a token MUST be negligible (≥ 128 bits here: 256);
        // RFC 6749 §10.4: refresh tokens are kept confidential: the store holds only their hash
        Instant authTime = TestGrants.START.minusSeconds(30);
        Map<String, Object> body = t.redeem(grant, "tv", "alice", OFFLINE, authTime);

        String refreshToken = (String) body.get("refresh_token");
        assertThat(Base64.getUrlDecoder().decode(refreshToken)).hasSize(32);
        String grantId = grantIdOf(body);
        Grant stored = t.grants.findById(TENANT, grantId).orElseThrow();
        assertThat(stored.refreshTokenHash()).isEqualTo(HASHER.refreshTokenHash(refreshToken))
                .isNotEqualTo(refreshToken);
        assertThat(stored.toString()).doesNotContain(refreshToken);
        assertThat(t.grants.findByRefreshTokenHash(TENANT, refreshToken)).isEmpty();
        assertThat(stored.authorizationId()).isEqualTo(grantId);
        assertThat(stored.subject()).isEqualTo("alice");
        assertThat(stored.clientId()).isEqualTo("tv");
        assertThat(stored.scopes()).isEqualTo(OFFLINE);
        assertThat(stored.authTime()).isEqualTo(authTime);
        assertThat(stored.createdAt()).isEqualTo(TestGrants.START).isEqualTo(stored.lastUsedAt());
        assertThat(stored.expiresAt()).isEqualTo(TestGrants.START.plus(Duration.ofDays(30)));
        assertThat(stored.status()).isEqualTo(GrantStatus.ACTIVE);
    }

    @Test
    void R06_twoRedemptionsGetDifferentRefreshTokens() {
        String first = (String) t.redeem(grant, "tv", "alice", OFFLINE, null).get("refresh_token");
        String second = (String) t.redeem(grant, "tv", "alice", OFFLINE, null).get("refresh_token");
        assertThat(first).isNotEqualTo(second);
    }

    @ParameterizedTest(name = "client {0}, offline_access granted {1} -> refresh token {2}")
    @CsvSource({"tv, true, true", "tv, false, false", "always-tv, false, true", "always-tv, true, true"})
    void C05_refreshTokenOnlyWithOfflineAccessOrForAClientThatAlwaysGetsOne(String client, boolean offline,
            boolean expected) {
        // OpenID Connect Core §11: offline_access asks for a refresh token; it needs the user's consent
        Set<String> granted = offline ? OFFLINE : Set.of("openid", "profile");
        Map<String, Object> body = t.redeem(grant, client, "alice", granted, null);
        assertThat(body.containsKey("refresh_token")).isEqualTo(expected);
        Grant stored = t.grants.findById(TENANT, grantIdOf(body)).orElseThrow();
        assertThat(stored.refreshTokenHash() != null).isEqualTo(expected);
    }

    @Test
    void withoutGrantsNoRefreshTokenIsIssuedAndTheRefreshGrantIsUnsupported() {
        DeviceGrant plain = t.grant();
        Map<String, Object> body = t.redeem(plain, "tv", "alice", OFFLINE, null);

        assertThat(body).doesNotContainKey("refresh_token");
        assertThat(plain.handlesGrantType("refresh_token")).isFalse();
        assertThat(error(refresh(plain, "tv", "anything"))).isEqualTo("unsupported_grant_type");
        assertThat(plain.metadata().get("grant_types_supported"))
                .isEqualTo(List.of("urn:ietf:params:oauth:grant-type:device_code"));
    }

    @Test
    void withGrantsTheRefreshGrantIsRoutedAndAdvertised() {
        assertThat(grant.handlesGrantType("refresh_token")).isTrue();
        assertThat(grant.handlesGrantType("urn:ietf:params:oauth:grant-type:device_code")).isTrue();
        assertThat(grant.handlesGrantType("authorization_code")).isFalse();
        assertThat(grant.metadata().get("grant_types_supported"))
                .isEqualTo(List.of("urn:ietf:params:oauth:grant-type:device_code", "refresh_token"));
    }

    @Test
    void whenTheGrantCannotBeStoredThenServerErrorNoTokensAndTheCodeStaysRedeemable() {
        GrantStore failing = spy(InMemoryGrantStore.create());
        doThrow(new StoreUnavailableException("injected")).doCallRealMethod().when(failing).create(any());
        DeviceGrant g = t.withGrants(Issuance.by(t.jwtIssuer).withGrants(failing), b -> b);
        TestGrants.Issued code = TestGrants.authorize(g, "tv", "openid profile offline_access");
        g.verification().approve(TENANT, code.userCode(), "alice", OFFLINE, Map.of(), null);

        DeviceGrantResponse first = poll(g, "tv", code.deviceCode());
        assertThat(first.status()).isEqualTo(500);
        assertThat(json(first)).doesNotContainKeys("access_token", "refresh_token");

        t.advance(Duration.ofSeconds(5));
        Map<String, Object> second = json(poll(g, "tv", code.deviceCode()));
        assertThat(second).containsKeys("access_token", "refresh_token");
        assertThat(failing.findById(TENANT, grantIdOf(second))).isPresent();
    }

    @Test
    void aRefreshTokenFromTheTokenIssuerIsNeverSent() {
        // one way to mint refresh tokens: the library's, with grants
        TokenIssuer own = request -> {
            IssuedTokens signed = t.jwtIssuer.issue(request);
            return new IssuedTokens(signed.accessToken(), "Bearer", signed.expiresIn(), "issuer-made-refresh-token",
                    signed.idToken(), signed.scope());
        };
        Map<String, Object> withoutGrants = t.redeem(t.grant(b -> b, own), "tv", "alice", OFFLINE, null);
        assertThat(withoutGrants).doesNotContainKey("refresh_token");

        Map<String, Object> withGrants = t.redeem(t.withGrants(Issuance.by(own).withGrants(t.grants), b -> b), "tv",
                "alice", OFFLINE, null);
        assertThat((String) withGrants.get("refresh_token")).isNotEqualTo("issuer-made-refresh-token")
                .hasSize(43);
    }

    @Test
    void whenTheGrantStoreFailsDuringARefreshThenServerErrorAndTheTokenStaysUsable() {
        GrantStore failing = spy(InMemoryGrantStore.create());
        DeviceGrant g = t.withGrants(Issuance.by(t.jwtIssuer).withGrants(failing), b -> b);
        String rt = (String) t.redeem(g, "tv", "alice", OFFLINE, null).get("refresh_token");
        doThrow(new StoreUnavailableException("injected")).doCallRealMethod().when(failing).replace(anyLong(), any());

        DeviceGrantResponse failed = refresh(g, "tv", rt);
        assertThat(failed.status()).isEqualTo(500);
        assertThat(json(failed)).doesNotContainKeys("access_token", "refresh_token");

        assertThat(refresh(g, "tv", rt).status()).as("nothing was retired").isEqualTo(200);
    }

    // ---- R01–R03: who may refresh what ----

    @Test
    void R01_aPublicClientRefreshesByNamingItself() {
        // RFC 6749 §6: a client that is not confidential names itself; authentication as for the grant
        String rt = (String) t.redeem(grant, "tv", "alice", OFFLINE, null).get("refresh_token");

        DeviceGrantResponse anonymous = grant.token(form("grant_type", "refresh_token", "refresh_token", rt));
        assertThat(error(anonymous)).isEqualTo("invalid_client");

        DeviceGrantResponse named = refresh(grant, "tv", rt);
        assertThat(named.status()).isEqualTo(200);
        assertThat(json(named)).containsKeys("access_token", "refresh_token");
    }

    @Test
    void R01_aConfidentialClientMustAuthenticateToRefresh() {
        // RFC 6749 §6: "require client authentication for confidential clients"
        Map<String, Object> body = redeemConfidential();
        String rt = (String) body.get("refresh_token");

        DeviceGrantResponse unauthenticated = refresh(grant, "confidential", rt);
        assertThat(error(unauthenticated)).isEqualTo("invalid_client");
        DeviceGrantResponse wrongSecret = grant.token(basic(form("grant_type", "refresh_token", "refresh_token", rt),
                "confidential", "wrong"));
        assertThat(wrongSecret.status()).isEqualTo(401);
        DeviceGrantResponse ok = grant.token(basic(form("grant_type", "refresh_token", "refresh_token", rt),
                "confidential", "s3cret"));
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void R01_aMissingRefreshTokenIsInvalidRequest() {
        assertThat(error(grant.token(form("grant_type", "refresh_token", "client_id", "tv"))))
                .isEqualTo("invalid_request");
    }

    @Test
    void R03_anotherClientsRefreshTokenIsInvalidGrantWithTheBodyOfAnUnknownOne() {
        // RFC 6749 §10.4: the binding between a refresh token and its client is checked
        String rt = (String) t.redeem(grant, "tv", "alice", OFFLINE, null).get("refresh_token");

        DeviceGrantResponse stolen = refresh(grant, "other-tv", rt);
        DeviceGrantResponse unknown = refresh(grant, "tv", "x".repeat(43));

        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.body()).isEqualTo(unknown.body());
        assertThat(error(stolen)).isEqualTo("invalid_grant");
        assertThat(refresh(grant, "tv", rt).status()).as("the owner's token still works").isEqualTo(200);
    }

    @Test
    void R02_scopeMayNarrowButTheGrantKeepsItsScopes() throws Exception {
        // RFC 6749 §6: the requested scope MUST NOT include any scope not originally granted
        String rt = (String) t.redeem(grant, "tv", "alice", OFFLINE, null).get("refresh_token");

        Map<String, Object> narrowed = json(grant.token(form("grant_type", "refresh_token", "refresh_token", rt,
                "client_id", "tv", "scope", "profile")));
        assertThat(narrowed.get("scope")).isEqualTo("profile");
        assertThat(SignedJWT.parse((String) narrowed.get("access_token")).getJWTClaimsSet().getStringClaim("scope"))
                .isEqualTo("profile");
        assertThat(narrowed).as("no openid asked, no ID token").doesNotContainKey("id_token");

        // RFC 6749 §6: an omitted scope is the one originally granted
        Map<String, Object> full = json(refresh(grant, "tv", (String) narrowed.get("refresh_token")));
        assertThat(Set.of(((String) full.get("scope")).split(" "))).isEqualTo(OFFLINE);
    }

    @Test
    void R02_aWiderScopeIsInvalidScopeAndChangesNothing() {
        String rt = (String) t.redeem(grant, "tv", "alice", Set.of("profile", "offline_access"), null)
                .get("refresh_token");

        DeviceGrantResponse widened = grant.token(form("grant_type", "refresh_token", "refresh_token", rt,
                "client_id", "tv", "scope", "profile email"));

        assertThat(error(widened)).isEqualTo("invalid_scope");
        assertThat(refresh(grant, "tv", rt).status()).as("the token was not spent").isEqualTo(200);
    }

    // ---- R04: rotation with reuse detection ----

    @Test
    void R04_eachRefreshOfAPublicClientRotatesTheRefreshToken() {
        // RFC 9700 §4.14.2: refresh tokens of public clients are rotated (or sender-constrained)
        Map<String, Object> body = t.redeem(grant, "tv", "alice", OFFLINE, null);
        String first = (String) body.get("refresh_token");

        Map<String, Object> next = json(refresh(grant, "tv", first));
        String second = (String) next.get("refresh_token");
        assertThat(second).isNotNull().isNotEqualTo(first);
        Grant stored = t.grants.findById(TENANT, grantIdOf(body)).orElseThrow();
        assertThat(stored.refreshTokenHash()).isEqualTo(HASHER.refreshTokenHash(second));
        assertThat(t.grants.findByRefreshTokenHash(TENANT, HASHER.refreshTokenHash(first)).orElseThrow().current())
                .isFalse();
        assertThat(events).anyMatch(e -> e.type() == DeviceGrantEvent.Type.REFRESHED
                && e.authorizationId().equals(grantIdOf(body)));
    }

    @Test
    void R04_S20_reuseOfARetiredRefreshTokenRevokesTheGrantAndTheNewestTokenFailsToo() {
        // RFC 9700 §4.14.2: if a refresh token is compromised and subsequently used by both the
        // attacker and the legitimate client, one of them will present an invalidated refresh
        // token, which will inform the authorization server of the breach
        Map<String, Object> body = t.redeem(grant, "tv", "alice", OFFLINE, null);
        String first = (String) body.get("refresh_token");
        String second = (String) json(refresh(grant, "tv", first)).get("refresh_token");

        DeviceGrantResponse reuse = refresh(grant, "tv", first);
        assertThat(reuse.status()).isEqualTo(400);
        assertThat(error(reuse)).isEqualTo("invalid_grant");
        assertThat(t.grants.findById(TENANT, grantIdOf(body)).orElseThrow().status()).isEqualTo(GrantStatus.REVOKED);
        assertThat(events).anyMatch(e -> e.type() == DeviceGrantEvent.Type.REFRESH_TOKEN_REUSED
                && e.authorizationId().equals(grantIdOf(body)) && e.detail().contains("grant revoked"));

        assertThat(error(refresh(grant, "tv", second))).as("the newest token dies with the grant")
                .isEqualTo("invalid_grant");
    }

    @Test
    void R04_confidentialClientsRotateByDefault() {
        String first = (String) redeemConfidential().get("refresh_token");
        Map<String, Object> next = json(confidentialRefresh(grant, first));
        assertThat((String) next.get("refresh_token")).isNotNull().isNotEqualTo(first);
    }

    @Test
    void R04_confidentialClientsKeepTheirRefreshTokenWhenRotationIsOff() {
        DeviceGrant noRotation = t.withGrants(i -> i.withConfidentialRotation(false), b -> b);
        String rt = (String) redeemConfidential(noRotation).get("refresh_token");

        Map<String, Object> first = json(confidentialRefresh(noRotation, rt));
        assertThat(first).containsKey("access_token").doesNotContainKey("refresh_token");
        assertThat(confidentialRefresh(noRotation, rt).status()).as("the same token again").isEqualTo(200);

        // public clients rotate whatever the setting
        String pub = (String) t.redeem(noRotation, "tv", "alice", OFFLINE, null).get("refresh_token");
        assertThat((String) json(refresh(noRotation, "tv", pub)).get("refresh_token")).isNotEqualTo(pub);
    }

    @Test
    void R04_sixtyFourThreadsPresentingOneRefreshTokenGetExactlyOneNewTokenAndStrictlyRevokeTheGrant()
            throws Exception {
        // RFC 9700 §4.14.2; strict (reuseGrace 0): a loser presented a token that is retired by then,
        // which is reuse, so the grant is revoked and the winner's new token dies too
        Map<String, Object> body = t.redeem(grant, "tv", "alice", OFFLINE, null);
        List<DeviceGrantResponse> responses = race(grant, (String) body.get("refresh_token"));

        List<DeviceGrantResponse> issued = responses.stream().filter(r -> r.status() == 200).toList();
        assertThat(issued).hasSize(1);
        assertThat(responses).filteredOn(r -> r.status() != 200).hasSize(63)
                .allMatch(r -> "invalid_grant".equals(error(r)));
        assertThat(t.grants.findById(TENANT, grantIdOf(body)).orElseThrow().status()).isEqualTo(GrantStatus.REVOKED);
        assertThat(error(refresh(grant, "tv", (String) json(issued.get(0)).get("refresh_token"))))
                .isEqualTo("invalid_grant");
    }

    @Test
    void R04_sixtyFourThreadsWithAGraceWindowGetExactlyOneNewTokenAndTheGrantLives() throws Exception {
        // within reuseGrace after the rotation the losers get invalid_grant without revoking
        DeviceGrant lenient = t.withGrants(i -> i.withReuseGrace(Duration.ofSeconds(5)), b -> b);
        Map<String, Object> body = t.redeem(lenient, "tv", "alice", OFFLINE, null);
        String first = (String) body.get("refresh_token");
        List<DeviceGrantResponse> responses = race(lenient, first);

        List<DeviceGrantResponse> issued = responses.stream().filter(r -> r.status() == 200).toList();
        assertThat(issued).hasSize(1);
        assertThat(responses).filteredOn(r -> r.status() != 200).hasSize(63)
                .allMatch(r -> "invalid_grant".equals(error(r)));
        assertThat(t.grants.findById(TENANT, grantIdOf(body)).orElseThrow().status()).isEqualTo(GrantStatus.ACTIVE);
        String winner = (String) json(issued.get(0)).get("refresh_token");

        // after the grace, the retired token is reuse again and revokes
        t.advance(Duration.ofSeconds(5));
        assertThat(error(refresh(lenient, "tv", first))).isEqualTo("invalid_grant");
        assertThat(t.grants.findById(TENANT, grantIdOf(body)).orElseThrow().status()).isEqualTo(GrantStatus.REVOKED);
        assertThat(error(refresh(lenient, "tv", winner))).isEqualTo("invalid_grant");
    }

    // ---- R05: lifetimes and revocation ----

    @Test
    void R05_aGrantUnusedForItsIdleLifetimeLapses() {
        // RFC 9700 §4.14.2: refresh tokens SHOULD expire if not used for some time
        String rt = (String) t.redeem(grant, "tv", "alice", OFFLINE, null).get("refresh_token");
        t.advance(Duration.ofDays(30));

        DeviceGrantResponse lapsed = refresh(grant, "tv", rt);
        assertThat(error(lapsed)).isEqualTo("invalid_grant");
        assertThat(events).anyMatch(e -> e.type() == DeviceGrantEvent.Type.REFRESH_REFUSED
                && e.detail().equals("expired"));
    }

    @Test
    void R05_eachRefreshMovesTheIdleDeadlineButNeverPastTheAbsoluteOne() {
        Map<String, Object> body = t.redeem(grant, "tv", "alice", OFFLINE, null);
        String rt = (String) body.get("refresh_token");
        for (int i = 0; i < 3; i++) {
            t.advance(Duration.ofDays(29));
            DeviceGrantResponse response = refresh(grant, "tv", rt);
            assertThat(response.status()).as("refresh after %d days", 29 * (i + 1)).isEqualTo(200);
            rt = (String) json(response).get("refresh_token");
        }
        Grant stored = t.grants.findById(TENANT, grantIdOf(body)).orElseThrow();
        assertThat(stored.expiresAt()).isEqualTo(TestGrants.START.plus(Duration.ofDays(90)));
        t.advance(Duration.ofDays(3)); // day 90
        assertThat(error(refresh(grant, "tv", rt))).isEqualTo("invalid_grant");
    }

    @Test
    void R05_aClientsOwnLifetimesOverrideTheGrants() {
        String rt = (String) t.redeem(grant, "short-tv", "alice", OFFLINE, null).get("refresh_token");
        t.advance(Duration.ofMinutes(59));
        rt = (String) json(refresh(grant, "short-tv", rt)).get("refresh_token");
        t.advance(Duration.ofMinutes(59));
        DeviceGrantResponse second = refresh(grant, "short-tv", rt);
        assertThat(second.status()).isEqualTo(200);
        t.advance(Duration.ofMinutes(2)); // two hours after redemption: the absolute lifetime is over
        assertThat(error(refresh(grant, "short-tv", (String) json(second).get("refresh_token"))))
                .isEqualTo("invalid_grant");
    }

    @Test
    void R05_aTenantsLifetimesOverrideTheGrants() {
        DeviceGrant tenantShort = t.withGrants(i -> i, b -> b.tenantSettings(tenant -> DeviceSettings.inherit()
                .withRefreshLifetimes(Duration.ofHours(1), Duration.ofDays(1))));
        String rt = (String) t.redeem(tenantShort, "tv", "alice", OFFLINE, null).get("refresh_token");
        t.advance(Duration.ofHours(1));
        assertThat(error(refresh(tenantShort, "tv", rt))).isEqualTo("invalid_grant");
    }

    @Test
    void R05_lifetimesOutsideTheirRangesAreRefused() {
        Issuance base = Issuance.by(t.jwtIssuer);
        assertThatThrownBy(() -> base.withRefreshLifetimes(Duration.ofMinutes(59), Duration.ofDays(1)))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("refreshIdleLifetime");
        assertThatThrownBy(() -> base.withRefreshLifetimes(Duration.ofDays(1), Duration.ofDays(401)))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("refreshAbsoluteLifetime");
        assertThatThrownBy(() -> base.withReuseGrace(Duration.ofSeconds(61)))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("reuseGrace");
        assertThatThrownBy(() -> DeviceSettings.inherit().withRefreshLifetimes(Duration.ofDays(500), null))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("refreshIdleLifetime");
        assertThat(base.refreshIdleLifetime()).isEqualTo(Duration.ofDays(30));
        assertThat(base.refreshAbsoluteLifetime()).isEqualTo(Duration.ofDays(90));
        assertThat(base.rotateConfidential()).isTrue();
        assertThat(base.reuseGrace()).isZero();
    }

    @Test
    void R05_O16_aReplayedDeviceCodeRevokesTheGrantIssuedFromIt() {
        // RFC 6749 §10.5: a code used more than once SHOULD revoke the tokens issued from it
        TestGrants.Issued code = TestGrants.authorize(grant, "tv", "openid profile offline_access");
        grant.verification().approve(TENANT, code.userCode(), "alice", OFFLINE, Map.of(), null);
        Map<String, Object> body = json(poll(grant, "tv", code.deviceCode()));
        t.advance(Duration.ofSeconds(5));

        DeviceGrantResponse replay = poll(grant, "tv", code.deviceCode());

        assertThat(error(replay)).isEqualTo("invalid_grant");
        assertThat(t.grants.findById(TENANT, grantIdOf(body)).orElseThrow().status()).isEqualTo(GrantStatus.REVOKED);
        assertThat(events).anyMatch(e -> e.type() == DeviceGrantEvent.Type.REPLAY
                && e.detail().contains("grant revoked"));
        assertThat(error(refresh(grant, "tv", (String) body.get("refresh_token")))).isEqualTo("invalid_grant");
        assertThat(events).anyMatch(e -> e.type() == DeviceGrantEvent.Type.REFRESH_REFUSED
                && e.detail().equals("revoked"));
    }

    // ---- the account check and the ID token ----

    @Test
    void aLockedAccountGetsInvalidGrantOnRefreshAndNoTokensAndTheGrantIsKept() {
        String rt = (String) t.redeem(grant, "tv", "alice", OFFLINE, null).get("refresh_token");
        locked.add("alice");

        DeviceGrantResponse refused = refresh(grant, "tv", rt);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(error(refused)).isEqualTo("invalid_grant");
        assertThat(json(refused)).doesNotContainKey("access_token");
        assertThat(events).anyMatch(e -> e.type() == DeviceGrantEvent.Type.ACCOUNT_REFUSED);

        locked.clear();
        assertThat(refresh(grant, "tv", rt).status()).as("unlocked, the same token works").isEqualTo(200);
    }

    @Test
    void C06_aRefreshWithOpenidGrantedReturnsAnIdTokenWithTheOriginalAuthTimeAndNoNonce() throws Exception {
        // OpenID Connect Core §12.2: iss, sub, aud and azp as before, auth_time of the original
        // authentication, and no nonce
        Instant authTime = TestGrants.START.minusSeconds(120);
        Map<String, Object> body = t.redeem(grant, "tv", "alice", OFFLINE, authTime);
        t.advance(Duration.ofHours(5));

        Map<String, Object> next = json(refresh(grant, "tv", (String) body.get("refresh_token")));

        JWTClaimsSet id = SignedJWT.parse((String) next.get("id_token")).getJWTClaimsSet();
        JWTClaimsSet first = SignedJWT.parse((String) body.get("id_token")).getJWTClaimsSet();
        assertThat(id.getIssuer()).isEqualTo(first.getIssuer());
        assertThat(id.getSubject()).isEqualTo("alice");
        assertThat(id.getAudience()).containsExactly("tv");
        assertThat(id.getStringClaim("azp")).isEqualTo("tv");
        assertThat(id.getDateClaim("auth_time")).isEqualTo(java.util.Date.from(authTime));
        assertThat(id.getClaim("nonce")).isNull();
        assertThat(id.getIssueTime()).isAfter(first.getIssueTime());

        JWTClaimsSet access = SignedJWT.parse((String) next.get("access_token")).getJWTClaimsSet();
        assertThat(access.getStringClaim(JwtTokenIssuer.GRANT_ID_CLAIM)).isEqualTo(grantIdOf(body));
    }

    // ---- helpers ----

    private static String grantIdOf(Map<String, Object> tokenResponse) {
        try {
            return SignedJWT.parse((String) tokenResponse.get("access_token")).getJWTClaimsSet()
                    .getStringClaim(JwtTokenIssuer.GRANT_ID_CLAIM);
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private Map<String, Object> redeemConfidential() {
        return redeemConfidential(grant);
    }

    private Map<String, Object> redeemConfidential(DeviceGrant g) {
        DeviceGrantResponse codes = g.deviceAuthorization(basic(form("scope", "openid profile offline_access"),
                "confidential", "s3cret"));
        Map<String, Object> issued = json(codes);
        g.verification().approve(TENANT, (String) issued.get("user_code"), "alice", OFFLINE, Map.of(), null);
        DeviceGrantResponse tokens = g.token(basic(form("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", (String) issued.get("device_code")), "confidential", "s3cret"));
        assertThat(tokens.status()).isEqualTo(200);
        return json(tokens);
    }

    private static DeviceGrantResponse confidentialRefresh(DeviceGrant g, String rt) {
        return g.token(basic(form("grant_type", "refresh_token", "refresh_token", rt), "confidential", "s3cret"));
    }

    private static List<DeviceGrantResponse> race(DeviceGrant g, String refreshToken) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            return ConcurrencyTest.race(pool, 64, i -> refresh(g, "tv", refreshToken));
        } finally {
            pool.shutdownNow();
        }
    }
}
