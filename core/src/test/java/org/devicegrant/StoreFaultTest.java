package org.devicegrant;

import org.devicegrant.code.CodeHasher;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.token.TokenIssuanceException;
import org.devicegrant.token.TokenIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.authorize;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.poll;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doCallRealMethod;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * SECURITY-TESTS rows 24 and 25 against the in-memory store with faults injected: each store call
 * of the redemption path fails once in turn, and the outcome is never "tokens without a consumed
 * record" nor "consumed without tokens and not retryable".
 */
class StoreFaultTest {

    private static final StoreUnavailableException FAULT = new StoreUnavailableException("injected fault");

    private final DeviceAuthorizationStore store = spy(InMemoryDeviceAuthorizationStore.create());
    private final TestGrants t = new TestGrants(store, new InMemoryAttemptLimiter());
    private final DeviceGrant grant = t.grant();

    /** The store calls of a redemption: the read, then the compare-and-set. */
    enum RedemptionCall {
        READ {
            @Override
            void failOnce(DeviceAuthorizationStore store) {
                doThrow(FAULT).doCallRealMethod().when(store).findByDeviceCodeHash(anyString(), anyString());
            }
        },
        COMPARE_AND_SET {
            @Override
            void failOnce(DeviceAuthorizationStore store) {
                doThrow(FAULT).doCallRealMethod().when(store).replace(anyLong(), any());
            }
        };

        abstract void failOnce(DeviceAuthorizationStore store);
    }

    @ParameterizedTest(name = "{0} fails")
    @EnumSource(RedemptionCall.class)
    void failureOfAnyRedemptionStoreCallIsServerErrorAndTheCodeRedeemsOnceLater(RedemptionCall call) {
        TestGrants.Issued issued = approved(grant);
        DeviceAuthorization before = record(issued);
        call.failOnce(store);

        DeviceGrantResponse failed = poll(grant, "tv", issued.deviceCode());
        assertThat(failed.status()).isEqualTo(500);
        assertThat(error(failed)).isEqualTo("server_error");
        assertThat(failed.body()).doesNotContain("injected").doesNotContain("Exception");
        assertThat(record(issued)).as("0 state changes").isEqualTo(before);
        assertThat(record(issued).status()).isEqualTo(AuthorizationStatus.APPROVED);

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
        TokenIssuer issuer = mock(TokenIssuer.class);
        when(issuer.issue(any())).thenThrow(new TokenIssuanceException("issuer down"));
        DeviceGrant failing = t.grant(b -> b, issuer);
        TestGrants.Issued issued = approved(failing);
        // the first compare-and-set consumes the code; the second, putting it back, fails
        doCallRealMethod().doThrow(FAULT).doCallRealMethod().when(store).replace(anyLong(), any());

        assertThat(error(poll(failing, "tv", issued.deviceCode()))).isEqualTo("server_error");
        assertThat(record(issued).status()).isEqualTo(AuthorizationStatus.CONSUMED);
        t.advance(Duration.ofSeconds(5));
        assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("invalid_grant");
    }

    @Test
    void storeDownDuringDeviceAuthorizationIsServerErrorAndStoresNothing() throws Exception {
        doThrow(FAULT).when(store).countPending(anyString(), anyString(), any());
        doThrow(FAULT).when(store).countPending(anyString(), any());

        DeviceGrantResponse response = grant.deviceAuthorization(form("client_id", "tv"));

        assertThat(response.status()).isEqualTo(500);
        assertThat(error(response)).isEqualTo("server_error");
        verify(store, never()).create(any(), any(), anyLong());
    }

    private TestGrants.Issued approved(DeviceGrant g) {
        TestGrants.Issued issued = authorize(g, "tv", null);
        assertThat(g.verification().approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.Recorded.class);
        return issued;
    }

    private DeviceAuthorization record(TestGrants.Issued issued) {
        return store.findByDeviceCodeHash(TENANT,
                new CodeHasher(TestGrants.USER_CODE_KEY).deviceCodeHash(issued.deviceCode())).orElseThrow();
    }
}
