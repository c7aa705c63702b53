package org.devicegrant;

import org.devicegrant.code.CodeHasher;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.Status;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.token.TokenIssuanceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.authorize;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.poll;

/**
 * SECURITY-TESTS rows 24 and 25 against a fault-injecting store decorator: every store call of the
 * redemption path fails once in turn, and the outcome is never "tokens without a consumed record"
 * nor "consumed without tokens and not retryable".
 */
class StoreFaultTest {

    private final CountingStore store = new CountingStore(InMemoryDeviceAuthorizationStore.create());
    private final TestGrants t = new TestGrants(store, new InMemoryAttemptLimiter());
    private final DeviceGrant grant = t.grant();

    /** The redemption path makes two store calls: the read and the compare-and-set. */
    @ParameterizedTest(name = "store call {0} fails")
    @ValueSource(ints = {1, 2})
    void failureOfAnyRedemptionStoreCallIsServerErrorAndTheCodeRedeemsOnceLater(int k) {
        TestGrants.Issued issued = approved();
        int writes = store.writes.get();
        store.failCallFromNow(k);

        DeviceGrantResponse failed = poll(grant, "tv", issued.deviceCode());
        assertThat(failed.status()).isEqualTo(500);
        assertThat(error(failed)).isEqualTo("server_error");
        assertThat(failed.body()).doesNotContain("injected").doesNotContain("Exception");
        assertThat(store.writes.get()).as("0 state changes").isEqualTo(writes);
        assertThat(record(issued).status()).isEqualTo(Status.APPROVED);

        // once the store is back, the approved code redeems exactly once
        t.advance(Duration.ofSeconds(5));
        assertThat(poll(grant, "tv", issued.deviceCode()).status()).isEqualTo(200);
        t.advance(Duration.ofSeconds(5));
        assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("invalid_grant");
    }

    @Test
    void issuerFailureFollowedByAStoreFailureLeavesTheCodeSpentWithoutTokens() {
        // the one documented case: tokens could not be made and the code could not be put back;
        // it stays CONSUMED (no tokens anywhere), and the device must start over
        DeviceGrant failing = t.grant(b -> b, r -> {
            store.failCallFromNow(1); // the restore after this failure
            throw new TokenIssuanceException("issuer down");
        });
        TestGrants.Issued issued = approved(failing);

        assertThat(error(poll(failing, "tv", issued.deviceCode()))).isEqualTo("server_error");
        assertThat(record(issued).status()).isEqualTo(Status.CONSUMED);
        t.advance(Duration.ofSeconds(5));
        assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("invalid_grant");
    }

    @Test
    void storeDownDuringDeviceAuthorizationIsServerErrorAndStoresNothing() {
        store.failCallFromNow(1);
        DeviceGrantResponse response = grant.deviceAuthorization(form("client_id", "tv"));
        assertThat(response.status()).isEqualTo(500);
        assertThat(error(response)).isEqualTo("server_error");
        assertThat(store.persisted).isEmpty();
    }

    private TestGrants.Issued approved() {
        return approved(grant);
    }

    private TestGrants.Issued approved(DeviceGrant g) {
        TestGrants.Issued issued = authorize(g, "tv", null);
        assertThat(g.verification().approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.Recorded.class);
        return issued;
    }

    private DeviceAuthorization record(TestGrants.Issued issued) {
        return t.store.findByDeviceCodeHash(TENANT,
                new CodeHasher(TestGrants.USER_CODE_KEY).deviceCodeHash(issued.deviceCode())).orElseThrow();
    }
}
