package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.RefreshTokenMatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The grant contract against a correct reference store, which must pass every test, and against
 * stores broken in one way each, which must fail exactly the tests written for that way.
 */
class GrantStoreContractTest {

    private static ContractRun reference;

    @BeforeAll
    static void runReference() {
        reference = ContractRun.of(ReferenceConformance.class);
    }

    @Test
    void whenStoreIsCorrectThenEveryContractTestPasses() {
        assertThat(reference.failed()).isEmpty();
        assertThat(reference.aborted()).isEmpty();
        assertThat(reference.succeeded()).hasSize(37);
    }

    @Test
    void whenTheCompareAndSetIsNotAtomicThenTheRefreshRaceFails() {
        ContractRun run = ContractRun.of(NonAtomicReplaceConformance.class);

        assertThat(run.failed()).containsExactly("whenManyThreadsPresentOneRefreshTokenThenExactlyOneRotationWins");
    }

    @Test
    void whenRotationForgetsTheRetiredHashThenReuseWouldGoUnnoticedAndTheRotationTestsFail() {
        ContractRun run = ContractRun.of(ForgetsRetiredHashesConformance.class);

        assertThat(run.failed()).containsExactlyInAnyOrder(
                "whenRotatedThenTheNewHashIsCurrentAndTheOldOneRetiredOnTheSameGrant",
                "whenRotatedManyTimesThenEveryEarlierHashIsRetiredOnTheLatestVersion",
                "whenReplacedWithoutAHashThenTheOldOneIsRetired",
                "whenManyThreadsPresentOneRefreshTokenThenExactlyOneRotationWins",
                "whenRevokedThenFoundByIdAndByEveryHashAsRevoked",
                "whenCreateWithRetiredHashOfAnotherGrantThenIllegalArgumentAndTheRetiredHashStaysWithItsGrant",
                "whenARefreshMovedTheDeadlineThenDeleteExpiredKeepsTheGrant");
    }

    @Test
    void whenFindersIgnoreTheTenantThenTheIsolationTestsFail() {
        ContractRun run = ContractRun.of(TenantBlindFindersConformance.class);

        // it prefers the asked tenant's own grant, so the two-tenant round trip cannot see it

        assertThat(run.failed()).containsExactlyInAnyOrder(
                "whenFindByIdInOtherTenantThenEmpty",
                "whenFindByCurrentOrRetiredHashInOtherTenantThenEmpty",
                "whenListActiveInOtherTenantThenEmpty",
                "whenReplaceNamesOtherTenantThenRefusedAndNothingChanges");
    }

    @Test
    void whenIdsAndHashesAreUniqueAcrossTenantsThenTheTwoTenantTestFails() {
        ContractRun run = ContractRun.of(TenantBlindKeysConformance.class);

        // its finders go by the key alone too, so the other-tenant finder tests catch it as well
        assertThat(run.failed()).containsExactlyInAnyOrder(
                "whenSameIdAndHashInTwoTenantsThenTheyAreTwoGrants",
                "whenFindByIdInOtherTenantThenEmpty",
                "whenFindByCurrentOrRetiredHashInOtherTenantThenEmpty",
                "whenReplaceNamesOtherTenantThenRefusedAndNothingChanges");
    }

    @Test
    void whenARevokedGrantMayBecomeActiveAgainThenTheFinalityTestFails() {
        ContractRun run = ContractRun.of(RevivesRevokedConformance.class);

        assertThat(run.failed()).containsExactly("whenRevokedThenAReplaceBackToActiveIsFalseAndNothingChanges");
    }

    @Test
    void whenDeleteExpiredIgnoresMaxCountThenTheBoundTestFails() {
        ContractRun run = ContractRun.of(UnboundedPurgeConformance.class);

        assertThat(run.failed()).containsExactly("whenDeleteExpiredThenAtMostMaxCountPerCallAcrossTenants");
    }

    @Test
    void whenListActiveIsNotOrderedByUseThenTheOrderTestsFail() {
        ContractRun run = ContractRun.of(UnorderedListConformance.class);

        assertThat(run.failed()).containsExactlyInAnyOrder(
                "whenListActiveThenMostRecentlyUsedFirst",
                "whenAGrantIsRefreshedThenListActiveShowsItsLatestVersionFirst");
    }

    static class ReferenceConformance extends GrantStoreContract {
        @Override
        protected GrantStore createStore(MutableClock clock) {
            return new ReferenceGrantStore();
        }
    }

    /** Reads, checks the version, lets other threads run, then writes: no compare-and-set at all. */
    static class NonAtomicReplaceConformance extends GrantStoreContract {
        @Override
        protected GrantStore createStore(MutableClock clock) {
            return new ReferenceGrantStore() {
                @Override
                public boolean replace(long expectedVersion, Grant next) {
                    if (next.version() != expectedVersion + 1) {
                        throw new IllegalArgumentException("next.version() must be expectedVersion + 1");
                    }
                    Optional<Grant> current = findById(next.tenant(), next.id());
                    if (current.isEmpty() || current.get().version() != expectedVersion) {
                        return false;
                    }
                    checkReplaceable(current.get(), next);
                    if (revivesRevoked(current.get(), next)) {
                        return false;
                    }
                    LockSupport.parkNanos(200_000);
                    store(current.get(), next);
                    return true;
                }
            };
        }
    }

    /** Drops the old hash when a new one becomes current: a retired token is then simply unknown. */
    static class ForgetsRetiredHashesConformance extends GrantStoreContract {
        @Override
        protected GrantStore createStore(MutableClock clock) {
            return new ReferenceGrantStore() {
                @Override
                synchronized void store(Grant current, Grant next) {
                    super.store(current, next);
                    String old = current.refreshTokenHash();
                    if (old != null && !old.equals(next.refreshTokenHash())) {
                        forget(current.tenant(), old);
                    }
                }
            };
        }
    }

    /** Finds grants by id, by hash and by subject in whatever tenant holds them. */
    static class TenantBlindFindersConformance extends GrantStoreContract {
        @Override
        protected GrantStore createStore(MutableClock clock) {
            return new ReferenceGrantStore() {
                @Override
                public synchronized Optional<Grant> findById(String tenant, String grantId) {
                    Optional<Grant> own = super.findById(tenant, grantId);
                    return own.isPresent() ? own
                            : all().stream().filter(grant -> grant.id().equals(grantId)).findFirst();
                }

                @Override
                public synchronized Optional<RefreshTokenMatch> findByRefreshTokenHash(String tenant, String hash) {
                    Optional<RefreshTokenMatch> own = super.findByRefreshTokenHash(tenant, hash);
                    if (own.isPresent()) {
                        return own;
                    }
                    for (Grant grant : all()) {
                        Optional<RefreshTokenMatch> elsewhere = super.findByRefreshTokenHash(grant.tenant(), hash);
                        if (elsewhere.isPresent()) {
                            return elsewhere;
                        }
                    }
                    return Optional.empty();
                }

                @Override
                public synchronized List<Grant> listActive(String tenant, String subject, Instant now) {
                    return all().stream()
                            .filter(grant -> grant.subject().equals(subject) && grant.isActive(now))
                            .sorted(Comparator.comparing(Grant::lastUsedAt).reversed())
                            .toList();
                }
            };
        }
    }

    /** Keys ids and hashes without their tenant, so a second tenant cannot hold the same id or hash. */
    static class TenantBlindKeysConformance extends GrantStoreContract {
        @Override
        protected GrantStore createStore(MutableClock clock) {
            return new ReferenceGrantStore() {
                @Override
                Key key(String tenant, String value) {
                    return new Key("", value);
                }
            };
        }
    }

    /** Lets a replace turn a revoked grant active again. */
    static class RevivesRevokedConformance extends GrantStoreContract {
        @Override
        protected GrantStore createStore(MutableClock clock) {
            return new ReferenceGrantStore() {
                @Override
                boolean revivesRevoked(Grant current, Grant next) {
                    return false;
                }
            };
        }
    }

    /** Deletes everything purgeable in one call, whatever maxCount says. */
    static class UnboundedPurgeConformance extends GrantStoreContract {
        @Override
        protected GrantStore createStore(MutableClock clock) {
            return new ReferenceGrantStore() {
                @Override
                public synchronized int deleteExpired(Instant before, int maxCount) {
                    return super.deleteExpired(before, Integer.MAX_VALUE);
                }
            };
        }
    }

    /** Lists a subject's active grants oldest created first. */
    static class UnorderedListConformance extends GrantStoreContract {
        @Override
        protected GrantStore createStore(MutableClock clock) {
            return new ReferenceGrantStore() {
                @Override
                public synchronized List<Grant> listActive(String tenant, String subject, Instant now) {
                    return super.listActive(tenant, subject, now).stream()
                            .sorted(Comparator.comparing(Grant::createdAt).thenComparing(Grant::id))
                            .toList();
                }
            };
        }
    }
}
