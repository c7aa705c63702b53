package org.devicegrant;

import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryGrantStore;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.token.TokenIssuanceException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.authorize;
import static org.devicegrant.TestGrants.json;
import static org.devicegrant.TestGrants.poll;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.spy;

/**
 * SECURITY-TESTS row 14 (REQ-ST-1/2/3): after full flows, failures and abuse, no raw device code,
 * user code (in any normalisation), client secret or token appears in what the store was given
 * to persist or in any log line at any level.
 */
class SecretsNotLeakedTest {

    @Test
    void noRawCodeOrTokenReachesTheStoreOrTheLogs() {
        DeviceAuthorizationStore store = spy(InMemoryDeviceAuthorizationStore.create());
        TestGrants t = new TestGrants(store, new InMemoryAttemptLimiter());
        GrantStore grants = spy(InMemoryGrantStore.create());
        DeviceGrant grant = t.withGrants(Issuance.by(t.jwtIssuer).withGrants(grants), b -> b);
        CapturedLogs.clear();
        List<String> secrets = new ArrayList<>(List.of("s3cret"));

        // a full flow with tokens, then a replay
        TestGrants.Issued ok = authorize(grant, "tv", "openid offline_access");
        grant.verification().lookup(TENANT, ok.userCode(), "ip");
        grant.verification().approve(TENANT, ok.userCode(), "alice", Set.of("openid", "offline_access"), Map.of(), null);
        Map<String, Object> tokens = json(poll(grant, "tv", ok.deviceCode()));
        // a refresh (rotation), then reuse of the retired refresh token (the grant is revoked)
        Map<String, Object> refreshed = json(TestGrants.refresh(grant, "tv", (String) tokens.get("refresh_token")));
        assertThat(refreshed).containsKey("refresh_token");
        TestGrants.refresh(grant, "tv", (String) tokens.get("refresh_token"));
        TestGrants.refresh(grant, "tv", (String) refreshed.get("refresh_token"));
        secrets.add((String) refreshed.get("access_token"));
        secrets.add((String) refreshed.get("id_token"));
        secrets.add((String) refreshed.get("refresh_token"));
        t.advance(Duration.ofSeconds(5));
        poll(grant, "tv", ok.deviceCode());
        secrets.add((String) tokens.get("access_token"));
        secrets.add((String) tokens.get("id_token"));
        secrets.add((String) tokens.get("refresh_token"));
        addCode(secrets, ok);

        // a denied one, a stolen one, one polled too fast, one expired
        TestGrants.Issued denied = authorize(grant, "tv", null);
        grant.verification().deny(TENANT, denied.userCode(), "alice");
        poll(grant, "tv", denied.deviceCode());
        TestGrants.Issued stolen = authorize(grant, "tv", null);
        poll(grant, "other-tv", stolen.deviceCode());
        TestGrants.Issued fast = authorize(grant, "tv", null);
        poll(grant, "tv", fast.deviceCode());
        poll(grant, "tv", fast.deviceCode());
        TestGrants.Issued late = authorize(grant, "tv", null);
        t.advance(Duration.ofMinutes(11));
        poll(grant, "tv", late.deviceCode());
        grant.verification().lookup(TENANT, late.userCode(), "ip");
        for (TestGrants.Issued i : List.of(denied, stolen, fast, late)) {
            addCode(secrets, i);
        }

        // an issuer failure and a store failure while redeeming
        DeviceGrant failing = t.grant(b -> b, r -> {
            throw new TokenIssuanceException("boom");
        });
        TestGrants.Issued broken = authorize(failing, "tv", null);
        failing.verification().approve(TENANT, broken.userCode(), "alice", Set.of(), Map.of(), null);
        poll(failing, "tv", broken.deviceCode());
        doThrow(new StoreUnavailableException("injected fault")).doCallRealMethod()
                .when(store).findByDeviceCodeHash(anyString(), anyString());
        t.advance(Duration.ofSeconds(5));
        poll(failing, "tv", broken.deviceCode());
        addCode(secrets, broken);

        // wrong secrets and garbage
        grant.deviceAuthorization(TestGrants.basic(TestGrants.form(), "confidential", "not-the-s3cret-xq"));
        secrets.add("not-the-s3cret-xq");
        grant.token(DeviceGrantRequest.form("grant_type=x&device_code=raw-garbage-code-77"));
        secrets.add("raw-garbage-code-77");

        // every record the store was handed, whichever method it went through
        List<String> persisted = mockingDetails(store).getInvocations().stream()
                .flatMap(call -> Arrays.stream(call.getArguments()))
                .filter(DeviceAuthorization.class::isInstance)
                .map(Object::toString).toList();
        assertThat(persisted).as("the flows above store records").isNotEmpty();
        List<String> grantStoreArguments = mockingDetails(grants).getInvocations().stream()
                .flatMap(call -> Arrays.stream(call.getArguments()))
                .map(String::valueOf).toList();
        assertThat(grantStoreArguments).as("the flows above store grants").anyMatch(s -> s.startsWith("Grant["));
        List<String> logs = CapturedLogs.lines();
        assertThat(logs).as("the flows above log something").isNotEmpty();
        for (String secret : secrets) {
            assertThat(secret).isNotBlank();
            assertThat(persisted).as("store").noneMatch(s -> s.contains(secret));
            assertThat(grantStoreArguments).as("grant store").noneMatch(s -> s.contains(secret));
            assertThat(logs).as("logs").noneMatch(s -> s.contains(secret));
        }
    }

    private static void addCode(List<String> secrets, TestGrants.Issued issued) {
        String display = issued.userCode();
        String compact = display.replace("-", "");
        secrets.add(issued.deviceCode());
        secrets.add(display);
        secrets.add(compact);
        secrets.add(compact.toLowerCase(Locale.ROOT));
        secrets.add(display.toLowerCase(Locale.ROOT));
    }
}
