package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A conformance kit that cannot fail is worth nothing: this runs the store contract against a
 * correct reference store, which must pass every test, and against stores broken in one way
 * each, which must fail the tests written for that way.
 */
class DeviceAuthorizationStoreContractTest {

    private static ContractRun reference;

    @BeforeAll
    static void runReference() {
        reference = ContractRun.of(ReferenceConformance.class);
    }

    @Test
    void whenStoreIsCorrectThenEveryContractTestPasses() {
        assertThat(reference.failed()).isEmpty();
        assertThat(reference.aborted()).isEmpty();
        assertThat(reference.succeeded()).hasSizeGreaterThanOrEqualTo(25);
    }

    @Test
    void whenStoreOffersNoDumpThenOnlyTheRawCodeTestIsSkipped() {
        ContractRun run = ContractRun.of(TenantBlindFindConformance.class);

        assertThat(run.aborted()).containsExactly("whenStoredThenNoRawCodeIsPersisted");
    }

    @Test
    void whenReplaceIsNotAtomicThenTheConsumeRaceFails() {
        ContractRun run = ContractRun.of(NonAtomicReplaceConformance.class);

        // SECURITY-TESTS row 1: a read-check-write replace lets two polls both win
        assertThat(run.failed()).containsExactly("whenManyThreadsConsumeTheSameApprovedVersionThenExactlyOneWins");
    }

    @Test
    void whenCreateOverwritesTheUserCodeHolderThenTheCollisionTestsFail() {
        ContractRun run = ContractRun.of(OverwritingCreateConformance.class);

        // SECURITY-TESTS row 12: uniqueness by overwriting is exactly what must not happen
        assertThat(run.failed()).contains(
                "whenUserCodeHeldByUnexpiredRecordThenCollisionAndHolderUntouched",
                "whenUserCodeHeldByApprovedUnexpiredRecordThenStillCollision",
                "whenUserCodeHolderExpiresExactlyNowThenTakeoverAndOneMillisecondEarlierCollision",
                "whenManyThreadsCreateTheSameUserCodeThenExactlyOneSucceeds");
        assertThat(run.failed()).doesNotContain("whenUserCodeHolderExpiredThenNewRecordTakesOverAndOldStaysFindable");
    }

    @Test
    void whenFindIgnoresTheTenantThenTheIsolationTestsFail() {
        ContractRun run = ContractRun.of(TenantBlindFindConformance.class);

        assertThat(run.failed()).contains(
                "whenSameHashesInTwoTenantsThenTheyAreTwoRecords",
                "whenFindByDeviceCodeHashInOtherTenantThenEmpty",
                "whenFindByUserCodeHashInOtherTenantThenEmpty",
                "whenFindByIdInOtherTenantThenEmpty");
    }

    @Test
    void whenDumpDoesNotShowTheStoredStateThenTheRawCodeTestFails() {
        ContractRun run = ContractRun.of(EmptyDumpConformance.class);

        assertThat(run.failed()).containsExactly("whenStoredThenNoRawCodeIsPersisted");
    }

    static class ReferenceConformance extends DeviceAuthorizationStoreContract {
        @Override
        protected DeviceAuthorizationStore createStore(MutableClock clock) {
            return new ReferenceStore();
        }

        @Override
        protected Iterable<String> dumpPersistedState() {
            return ((ReferenceStore) store).dump();
        }
    }

    /** Reads, checks the version, lets other threads run, then writes: no compare-and-set at all. */
    static class NonAtomicReplaceConformance extends ReferenceConformance {
        @Override
        protected DeviceAuthorizationStore createStore(MutableClock clock) {
            return new ReferenceStore() {
                @Override
                public boolean replace(long expectedVersion, DeviceAuthorization next) {
                    if (next.version() <= expectedVersion) {
                        throw new IllegalArgumentException("next.version() must be greater than expectedVersion");
                    }
                    Optional<DeviceAuthorization> current = findById(next.tenant(), next.id());
                    if (current.isEmpty() || current.get().version() != expectedVersion) {
                        return false;
                    }
                    LockSupport.parkNanos(200_000);
                    put(next);
                    return true;
                }
            };
        }
    }

    /** Takes the user code whether or not its holder has expired. */
    static class OverwritingCreateConformance extends ReferenceConformance {
        @Override
        protected DeviceAuthorizationStore createStore(MutableClock clock) {
            return new ReferenceStore() {
                @Override
                void checkUserCodeFree(DeviceAuthorization authorization, Instant now) {
                }
            };
        }
    }

    /** Finds a record by its hash or id in whatever tenant holds it. */
    static class TenantBlindFindConformance extends DeviceAuthorizationStoreContract {
        @Override
        protected DeviceAuthorizationStore createStore(MutableClock clock) {
            return new ReferenceStore() {
                @Override
                public Optional<DeviceAuthorization> findByDeviceCodeHash(String tenant, String deviceCodeHash) {
                    return all().stream().filter(r -> r.deviceCodeHash().equals(deviceCodeHash)).findFirst();
                }

                @Override
                public Optional<DeviceAuthorization> findByUserCodeHash(String tenant, String userCodeHash) {
                    Optional<DeviceAuthorization> own = super.findByUserCodeHash(tenant, userCodeHash);
                    return own.isPresent() ? own
                            : all().stream().filter(r -> r.userCodeHash().equals(userCodeHash)).findFirst();
                }

                @Override
                public Optional<DeviceAuthorization> findById(String tenant, String id) {
                    return all().stream().filter(r -> r.id().equals(id)).findFirst();
                }
            };
        }
    }

    /** A correct store whose dump hook hides the state, so the raw-code check would prove nothing. */
    static class EmptyDumpConformance extends ReferenceConformance {
        @Override
        protected Iterable<String> dumpPersistedState() {
            return List.of("table device_authorization: 2 rows");
        }
    }
}
