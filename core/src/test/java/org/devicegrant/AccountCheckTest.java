package org.devicegrant;

import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.token.TokenIssuer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.authorize;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.poll;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** SECURITY-TESTS row 28: an account disabled after approval gets no tokens. */
class AccountCheckTest {

    private final TestGrants t = new TestGrants();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private final TokenIssuer issuer = mock(TokenIssuer.class, delegatesTo(t.jwtIssuer));
    private final List<DeviceGrantEvent> events = new ArrayList<>();
    private final DeviceGrant grant = t.grant(b -> b.hooks(Hooks.defaults().withListener(events::add)
            .withAccountCheck((tenant, subject, clientId) -> !disabled.contains(subject))), issuer);

    @Test
    void accountDisabledAfterApprovalGetsInvalidGrantAndNoTokens() {
        TestGrants.Issued code = approvedBy("bob");
        disabled.add("bob");

        DeviceGrantResponse response = poll(grant, "tv", code.deviceCode());

        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_grant");
        verify(issuer, never()).issue(any());
        assertThat(events).anyMatch(e -> e.type() == DeviceGrantEvent.Type.ACCOUNT_REFUSED);
        t.advance(Duration.ofSeconds(5));
        disabled.clear();
        assertThat(error(poll(grant, "tv", code.deviceCode()))).as("spent for good").isEqualTo("invalid_grant");
        verify(issuer, never()).issue(any());
    }

    @Test
    void accountStillActiveGetsTokens() {
        TestGrants.Issued code = approvedBy("alice");
        disabled.add("bob");
        assertThat(poll(grant, "tv", code.deviceCode()).status()).isEqualTo(200);
        verify(issuer).issue(any());
    }

    @Test
    void failingAccountCheckIsServerErrorAndTheCodeStaysRedeemable() {
        AccountCheck directory = mock(AccountCheck.class);
        when(directory.mayReceiveTokens(any(), any(), any())).thenThrow(new IllegalStateException("directory timeout"))
                .thenReturn(true);
        DeviceGrant flaky = t.grant(b -> b.hooks(Hooks.defaults().withAccountCheck(directory)));
        TestGrants.Issued code = authorize(flaky, "tv", null);
        flaky.verification().approve(TENANT, code.userCode(), "alice", Set.of(), Map.of(), null);

        assertThat(error(poll(flaky, "tv", code.deviceCode()))).isEqualTo("server_error");
        t.advance(Duration.ofSeconds(5));
        assertThat(poll(flaky, "tv", code.deviceCode()).status()).isEqualTo(200);
    }

    private TestGrants.Issued approvedBy(String subject) {
        TestGrants.Issued code = authorize(grant, "tv", null);
        assertThat(grant.verification().approve(TENANT, code.userCode(), subject, Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.Recorded.class);
        return code;
    }
}
