package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.devicegrant.storage.AttemptDecision;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.AttemptPolicy;
import org.junit.jupiter.api.Test;

/**
 * Runs the limiter contract against a correct reference limiter, which must pass every test,
 * and against limiters broken in one way each, which must fail the tests written for that way.
 */
class AttemptLimiterContractTest {

    @Test
    void whenLimiterIsCorrectThenEveryContractTestPasses() {
        ContractRun run = ContractRun.of(ReferenceConformance.class);

        assertThat(run.failed()).isEmpty();
        assertThat(run.aborted()).isEmpty();
        assertThat(run.succeeded()).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void whenLimiterNeverRefusesThenTheBudgetTestsFail() {
        ContractRun run = ContractRun.of(NeverRefusingConformance.class);

        // SECURITY-TESTS rows 9 and 10: the 6th guess and the 101st tenant-wide guess must be refused
        assertThat(run.failed()).contains(
                "whenBurstSpentThenSixthAttemptIsRefusedEvenIfItsCodeWouldBeRight",
                "whenManyThreadsRaceThenTheGlobalBudgetIsExact",
                "whenWindowBudgetSpentThenRefusedUntilTheOldestFailureLeavesTheWindow",
                "whenNextBurstSpentThenLockoutDoubles");
        assertThat(run.succeeded()).contains("whenCreatedThenPolicyIsTheConfiguredOne");
    }

    @Test
    void whenSuccessResetsTheKeyThenTheNoResetTestFails() {
        ContractRun run = ContractRun.of(ResettingConformance.class);

        // SECURITY-TESTS row 9: a success does not reset the per-source count
        assertThat(run.failed()).containsExactlyInAnyOrder(
                "whenSuccessRecordedThenEarlierFailuresStillCount",
                "whenSuccessRecordedThenItsChargeIsRefunded");
    }

    static class ReferenceConformance extends AttemptLimiterContract {
        @Override
        protected AttemptLimiter createLimiter(AttemptPolicy policy, MutableClock clock) {
            return new ReferenceLimiter(policy);
        }
    }

    static class NeverRefusingConformance extends AttemptLimiterContract {
        @Override
        protected AttemptLimiter createLimiter(AttemptPolicy policy, MutableClock clock) {
            return new AttemptLimiter() {
                @Override
                public AttemptPolicy policy() {
                    return policy;
                }

                @Override
                public AttemptDecision tryAcquire(String tenant, String key, Instant now) {
                    return AttemptDecision.allow();
                }

                @Override
                public void recordSuccess(String tenant, String key, Instant now) {
                }
            };
        }
    }

    static class ResettingConformance extends AttemptLimiterContract {
        @Override
        protected AttemptLimiter createLimiter(AttemptPolicy policy, MutableClock clock) {
            return new ReferenceLimiter(policy) {
                @Override
                public synchronized void recordSuccess(String tenant, String key, Instant now) {
                    super.recordSuccess(tenant, key, now);
                    reset(tenant, key);
                }
            };
        }
    }
}
