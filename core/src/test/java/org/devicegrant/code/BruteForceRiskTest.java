package org.devicegrant.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BruteForceRiskTest {

    private static final double S_8_BASE20 = UserCodeFormat.BASE20.codeSpace();
    private static final double PER_DAY_FROM_PER_MINUTE = 1_440;
    private static final double PER_DAY_FROM_PER_10_MINUTES = 144;

    @Test
    @DisplayName("REQ-UC-4 / row 10: A = 10,000, F = 1,000 per 10 min, 8 x base-20 gives E_day = 0.056 > 0.01")
    void expectedHitsPerDayWhenLargeDeploymentExampleThenAboveDefaultRisk() {
        BruteForceRisk risk = new BruteForceRisk(S_8_BASE20, 10_000, 1_000 * PER_DAY_FROM_PER_10_MINUTES);

        assertThat(risk.failuresPerDay()).isEqualTo(144_000);
        assertThat(risk.expectedHitsPerDay()).isCloseTo(0.05625, within(1e-12));
        assertThat(risk.probabilityOfHitPerDay()).isCloseTo(0.0547, within(1e-4));
        assertThat(risk.exceeds(BruteForceRisk.DEFAULT_ACCEPTED_HITS_PER_DAY)).isTrue();
    }

    @Test
    @DisplayName("REQ-UC-4: the default A_max = 1,000, F = 100/min gives E_day = 5.6e-3, within 0.01")
    void expectedHitsPerDayWhenDefaultBudgetsThenWithinDefaultRisk() {
        BruteForceRisk risk = new BruteForceRisk(S_8_BASE20, 1_000, 100 * PER_DAY_FROM_PER_MINUTE);

        // E_day = 144,000 * 1,000 / 2.56e10
        assertThat(risk.expectedHitsPerDay()).isCloseTo(5.625e-3, within(1e-12));
        assertThat(risk.probabilityOfHitPerDay()).isCloseTo(5.6e-3, within(1e-4));
        assertThat(risk.exceeds(BruteForceRisk.DEFAULT_ACCEPTED_HITS_PER_DAY)).isFalse();
    }

    @ParameterizedTest(name = "REQ-UC-4 §2.1 table: A = {0}, F = {1}/10 min -> P(hit)/day {2} (8 x base-20), {3} (10 x base-20)")
    @CsvSource({
            "100,    100,   5.6e-5, 1.4e-7",
            "1000,   1000,  5.6e-3, 1.4e-5",
            "10000,  100,   5.6e-3, 1.4e-5",
            "10000,  1000,  5.5e-2, 1.4e-4",
    })
    void probabilityOfHitPerDayWhenSecurityTestsTableThenSameFigures(
            long pending, double failuresPer10Minutes, double eightChars, double tenChars) {
        double failuresPerDay = failuresPer10Minutes * PER_DAY_FROM_PER_10_MINUTES;
        double tenCharSpace = UserCodeFormat.of(UserCodeFormat.BASE20.charset(), "XXXXXXXXXX").codeSpace();

        assertThat(new BruteForceRisk(S_8_BASE20, pending, failuresPerDay).probabilityOfHitPerDay())
                .isCloseTo(eightChars, withPercentage(3));
        assertThat(new BruteForceRisk(tenCharSpace, pending, failuresPerDay).probabilityOfHitPerDay())
                .isCloseTo(tenChars, withPercentage(3));
    }

    @Test
    @DisplayName("REQ-UC-4 budget rule: p = 1%/day, A = 1,000, 8 x base-20 allows about 179 failures/min")
    void maxFailuresPerDayWhenOnePercentAndThousandPendingThen179PerMinute() {
        double perDay = BruteForceRisk.maxFailuresPerDay(S_8_BASE20, 1_000, 0.01);

        assertThat(perDay).isCloseTo(179 * PER_DAY_FROM_PER_MINUTE, withPercentage(1));
        assertThat(new BruteForceRisk(S_8_BASE20, 1_000, perDay).probabilityOfHitPerDay())
                .isCloseTo(0.01, within(1e-12));
    }

    @Test
    @DisplayName("REQ-UC-4 budget rule: A = 10,000 allows 17.9/min; 10 x base-20 allows 7,150/min")
    void maxFailuresPerDayWhenTenThousandPendingThenAsInSecurityTests() {
        double tenCharSpace = Math.pow(20, 10);

        assertThat(BruteForceRisk.maxFailuresPerDay(S_8_BASE20, 10_000, 0.01) / PER_DAY_FROM_PER_MINUTE)
                .isCloseTo(17.9, withPercentage(1));
        assertThat(BruteForceRisk.maxFailuresPerDay(tenCharSpace, 10_000, 0.01) / PER_DAY_FROM_PER_MINUTE)
                .isCloseTo(7_150, withPercentage(1));
    }

    @Test
    void describeWhenFormatGivenThenOneLineNamingTheFormat() {
        BruteForceRisk risk = new BruteForceRisk(S_8_BASE20, 1_000, 144_000);

        assertThat(risk.describe(UserCodeFormat.BASE20))
                .isEqualTo("E_day = 5.6e-03 for S = 2.56e10 (8 x base-20), A_max = 1000, F = 144000/day");
        assertThat(new BruteForceRisk(1e9, 10_000, 14_400).describe(UserCodeFormat.DIGITS))
                .isEqualTo("E_day = 1.4e-01 for S = 1.00e9 (9 x base-10), A_max = 10000, F = 14400/day");
    }

    @Test
    void describeWhenNoFormatThenBitsShown() {
        assertThat(new BruteForceRisk(S_8_BASE20, 10_000, 144_000).describe())
                .isEqualTo("E_day = 5.6e-02 for S = 2.56e10 (34.6 bits), A_max = 10000, F = 144000/day");
        assertThat(new BruteForceRisk(S_8_BASE20, 1, 0.5).describe()).endsWith("F = 0.50/day");
    }

    @Test
    void describeWhenFormatHasOtherCodeSpaceThenRejected() {
        BruteForceRisk risk = new BruteForceRisk(S_8_BASE20, 1_000, 144_000);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> risk.describe(UserCodeFormat.DIGITS))
                .withMessageContaining("code space");
    }

    @Test
    void constructorWhenNoFailuresThenNoRisk() {
        BruteForceRisk risk = new BruteForceRisk(S_8_BASE20, 1_000, 0);

        assertThat(risk.expectedHitsPerDay()).isZero();
        assertThat(risk.probabilityOfHitPerDay()).isZero();
    }

    @ParameterizedTest(name = "new BruteForceRisk({0}, {1}, {2}) rejected: {3}")
    @CsvSource({
            "0.5,       1000, 100,       codeSpace",
            "NaN,       1000, 100,       codeSpace",
            "Infinity,  1000, 100,       codeSpace",
            "2.56e10,   0,    100,       maxPending",
            "2.56e10,   1000, -1,        failuresPerDay",
            "2.56e10,   1000, NaN,       failuresPerDay",
            "2.56e10,   1000, Infinity,  failuresPerDay",
    })
    void constructorWhenOutOfRangeThenRejectedNamingTheComponent(
            double codeSpace, long maxPending, double failuresPerDay, String name) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new BruteForceRisk(codeSpace, maxPending, failuresPerDay))
                .withMessageStartingWith(name);
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "-0.5", "1.5", "NaN"})
    void maxFailuresPerDayWhenProbabilityOutsideOpenUnitIntervalThenRejected(double probability) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BruteForceRisk.maxFailuresPerDay(S_8_BASE20, 1_000, probability))
                .withMessageContaining("acceptedProbabilityPerDay");
    }
}
