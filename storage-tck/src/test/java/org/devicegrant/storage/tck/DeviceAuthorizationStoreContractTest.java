package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.UserCodeCollisionException;
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
        assertThat(reference.succeeded()).hasSizeGreaterThanOrEqualTo(41);
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
    void whenCreateIgnoresTheCapThenTheCapTestsFail() {
        ContractRun run = ContractRun.of(UncappedCreateConformance.class);

        assertThat(run.failed()).contains(
                "whenTenantHoldsCapPendingThenNextPendingCreateIsRefusedAndNothingWritten",
                "whenPendingRecordsExpireThenTheyNoLongerCountTowardTheCap",
                "whenPendingRecordsAreApprovedOrDeniedThenTheyNoLongerCountTowardTheCap",
                "whenOneTenantIsAtItsCapThenAnotherTenantStillCreatesUpToItsOwn",
                "whenManyThreadsCreateUnderACapThenExactlyTheCapSucceeds");
    }

    @Test
    void whenTheCapCountsExpiredAndDecidedRecordsThenTheirTestsFail() {
        ContractRun run = ContractRun.of(CountsEveryRecordConformance.class);

        assertThat(run.failed()).containsExactlyInAnyOrder(
                "whenPendingRecordsExpireThenTheyNoLongerCountTowardTheCap",
                "whenPendingRecordsAreApprovedOrDeniedThenTheyNoLongerCountTowardTheCap");
    }

    @Test
    void whenTheCapCountsEveryTenantThenTheIndependenceTestFails() {
        ContractRun run = ContractRun.of(TenantBlindCapConformance.class);

        // the race runs its rounds in tenants of their own, so it catches this too
        assertThat(run.failed()).containsExactlyInAnyOrder(
                "whenOneTenantIsAtItsCapThenAnotherTenantStillCreatesUpToItsOwn",
                "whenManyThreadsCreateUnderACapThenExactlyTheCapSucceeds");
    }

    @Test
    void whenCapIsCheckedApartFromTheInsertThenTheCapRaceFails() {
        ContractRun run = ContractRun.of(NonAtomicCapConformance.class);

        assertThat(run.failed()).containsExactly("whenManyThreadsCreateUnderACapThenExactlyTheCapSucceeds");
    }

    @Test
    void whenStoreDoesNotClaimAnExactCapThenOnlyTheCapRaceIsSkipped() {
        ContractRun run = ContractRun.of(BoundedCapConformance.class);

        assertThat(run.failed()).isEmpty();
        assertThat(run.aborted()).containsExactly("whenManyThreadsCreateUnderACapThenExactlyTheCapSucceeds");
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

    /** Never refuses for the cap. */
    static class UncappedCreateConformance extends ReferenceConformance {
        @Override
        protected DeviceAuthorizationStore createStore(MutableClock clock) {
            return new ReferenceStore() {
                @Override
                public synchronized void create(DeviceAuthorization authorization, Instant now, long maxPendingInTenant)
                        throws UserCodeCollisionException, PendingLimitExceededException {
                    super.create(authorization, now, Long.MAX_VALUE);
                }
            };
        }
    }

    /** Counts every record of the tenant toward the cap, expired or decided ones too. */
    static class CountsEveryRecordConformance extends ReferenceConformance {
        @Override
        protected DeviceAuthorizationStore createStore(MutableClock clock) {
            return new ReferenceStore() {
                @Override
                synchronized long pendingTowardCap(String tenant, Instant now) {
                    return all().stream().filter(record -> record.tenant().equals(tenant)).count();
                }
            };
        }
    }

    /** Counts the pending records of every tenant toward one tenant's cap. */
    static class TenantBlindCapConformance extends ReferenceConformance {
        @Override
        protected DeviceAuthorizationStore createStore(MutableClock clock) {
            return new ReferenceStore() {
                @Override
                synchronized long pendingTowardCap(String tenant, Instant now) {
                    return all().stream().filter(record -> record.isPendingAt(now)).count();
                }
            };
        }
    }

    /** Counts, lets other threads run, then inserts: the check is not atomic with the insert. */
    static class NonAtomicCapConformance extends ReferenceConformance {
        @Override
        protected DeviceAuthorizationStore createStore(MutableClock clock) {
            return new ReferenceStore() {
                @Override
                public void create(DeviceAuthorization authorization, Instant now, long maxPendingInTenant)
                        throws UserCodeCollisionException, PendingLimitExceededException {
                    if (maxPendingInTenant < 1) {
                        throw new IllegalArgumentException("maxPendingInTenant must be at least 1");
                    }
                    if (authorization.isPendingAt(now) && countPending(authorization.tenant(), now) >= maxPendingInTenant) {
                        throw new PendingLimitExceededException(authorization.tenant(), maxPendingInTenant);
                    }
                    LockSupport.parkNanos(200_000);
                    super.create(authorization, now, Long.MAX_VALUE);
                }
            };
        }
    }

    /** The same non-atomic store, documenting a bound instead of claiming an exact cap. */
    static class BoundedCapConformance extends NonAtomicCapConformance {
        @Override
        protected boolean pendingCapIsExactUnderConcurrency() {
            return false;
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
