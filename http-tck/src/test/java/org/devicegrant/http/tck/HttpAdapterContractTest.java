package org.devicegrant.http.tck;

import org.devicegrant.DeviceGrant;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.http.TenantResolver;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A conformance kit that cannot fail is worth nothing: this runs the adapter contract against a
 * correct reference adapter, which must pass every case, and against adapters broken in one way
 * each, which must fail the cases written for that way and no other.
 */
class HttpAdapterContractTest {

    private static final String BODY_BOUND = "postWhenBodyIsOneMebibyteThenInvalidRequestWithoutBufferingIt";
    private static final int CASES_IN_CONTRACT = (int) Arrays.stream(HttpAdapterContract.class.getDeclaredMethods())
            .filter(method -> method.isAnnotationPresent(Test.class)).count();

    @Test
    void whenAdapterIsCorrectThenEveryContractTestPasses() {
        ContractRun run = ContractRun.of(ReferenceConformance.class);

        assertThat(run.failed()).isEmpty();
        assertThat(run.aborted()).isEmpty();
        assertThat(run.succeeded()).hasSize(CASES_IN_CONTRACT);
    }

    @Test
    void whenAdapterReadsTheWholeAnnouncedBodyThenTheBodyBoundTestFails() {
        ContractRun run = ContractRun.of(ReadsWholeBodyConformance.class);

        // it waits for bytes the client never sends: a body is only ever read up to the bound
        assertThat(run.failed()).containsExactly(BODY_BOUND);
    }

    @Test
    void whenAdapterCutsTheBodyAtTheMaximumThenTheOversizedBodyTestsFail() {
        ContractRun run = ContractRun.of(CutsBodyConformance.class);

        // the grant never learns that the body was too long, and serves its first 64 KiB
        assertThat(run.failed()).containsExactlyInAnyOrder(BODY_BOUND, "postWhenOneMebibyteSentWholeThenInvalidRequest");
    }

    @Test
    void whenAdapterSendsContentForHeadThenTheHeadTestFails() {
        ContractRun run = ContractRun.of(ContentForHeadConformance.class);

        assertThat(run.failed()).containsExactly("headWhenPostRequiredThen405WithoutBody");
    }

    @Test
    void whenAdapterTrustsForwardedForThenTheClientAddressTestFails() {
        ContractRun run = ContractRun.of(TrustsForwardedForConformance.class);

        assertThat(run.failed()).containsExactly("postWhenForwardedForSentThenDeviceAddressIsTheTcpPeer");
    }

    @Test
    void whenAdapterMatchesPathPrefixesThenTheExactPathTestFails() {
        ContractRun run = ContractRun.of(PathPrefixConformance.class);

        assertThat(run.failed()).containsExactly("postWhenPathExtendsAnEndpointPathThenNotFoundAndNothingIssued");
    }

    @Test
    void whenAdapterServesTheTokenEndpointForRevocationAndIntrospectionThenTheirTestsFail() {
        ContractRun run = ContractRun.of(TokenEndpointEverywhereConformance.class);

        assertThat(run.failed()).containsExactlyInAnyOrder(
                "revocationWhenRefreshTokenRevokedThen200AndRefreshIsInvalidGrant",
                "introspectionWhenGrantRevokedThenInactive",
                "introspectionWhenPublicClientThenInvalidClient");
    }

    static class ReferenceConformance extends HttpAdapterContract {

        ReferenceAdapter.Flaw flaw() {
            return ReferenceAdapter.Flaw.NONE;
        }

        @Override
        protected Server start(DeviceGrant grant, TenantResolver tenants) throws IOException {
            Map<String, Function<DeviceGrantRequest, DeviceGrantResponse>> endpoints = new HashMap<>();
            DEVICE_AUTHORIZATION_PATHS.forEach(path -> endpoints.put(path, grant::deviceAuthorization));
            TOKEN_PATHS.forEach(path -> endpoints.put(path, grant::token));
            REVOCATION_PATHS.forEach(path -> endpoints.put(path, revocation(grant)));
            INTROSPECTION_PATHS.forEach(path -> endpoints.put(path, introspection(grant)));
            ReferenceAdapter adapter = ReferenceAdapter.start(endpoints, tenants, flaw());
            return new Server(adapter.port(), adapter);
        }

        Function<DeviceGrantRequest, DeviceGrantResponse> revocation(DeviceGrant grant) {
            return grant::revocation;
        }

        Function<DeviceGrantRequest, DeviceGrantResponse> introspection(DeviceGrant grant) {
            return grant::introspection;
        }
    }

    /** Serves the token endpoint where revocation and introspection belong. */
    static class TokenEndpointEverywhereConformance extends ReferenceConformance {
        @Override
        Function<DeviceGrantRequest, DeviceGrantResponse> revocation(DeviceGrant grant) {
            return grant::token;
        }

        @Override
        Function<DeviceGrantRequest, DeviceGrantResponse> introspection(DeviceGrant grant) {
            return grant::token;
        }
    }

    static class ReadsWholeBodyConformance extends ReferenceConformance {
        @Override
        ReferenceAdapter.Flaw flaw() {
            return ReferenceAdapter.Flaw.READS_WHOLE_BODY;
        }
    }

    static class CutsBodyConformance extends ReferenceConformance {
        @Override
        ReferenceAdapter.Flaw flaw() {
            return ReferenceAdapter.Flaw.CUTS_BODY_AT_MAX;
        }
    }

    static class ContentForHeadConformance extends ReferenceConformance {
        @Override
        ReferenceAdapter.Flaw flaw() {
            return ReferenceAdapter.Flaw.CONTENT_FOR_HEAD;
        }
    }

    static class PathPrefixConformance extends ReferenceConformance {
        @Override
        ReferenceAdapter.Flaw flaw() {
            return ReferenceAdapter.Flaw.MATCHES_PATH_PREFIX;
        }
    }

    static class TrustsForwardedForConformance extends ReferenceConformance {
        @Override
        ReferenceAdapter.Flaw flaw() {
            return ReferenceAdapter.Flaw.TRUSTS_FORWARDED_FOR;
        }
    }
}
