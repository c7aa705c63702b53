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
        assertThat(risk.exceeds(0.01)).isTrue();
    }

    @Test
    @DisplayName("REQ-UC-4: the default A_max = 1,000, F = 100/min gives E_day = 5.6e-3, within 0.01")
    void expectedHitsPerDayWhenDefaultBudgetsThenWithinDefaultRisk() {
        BruteForceRisk risk = new BruteForceRisk(S_8_BASE20, 1_000, 100 * PER_DAY_FROM_PER_MINUTE);

        // E_day = 144,000 * 1,000 / 2.56e10
        assertThat(risk.expectedHitsPerDay()).isCloseTo(5.625e-3, within(1e-12));
        assertThat(risk.exceeds(0.01)).isFalse();
    }

    @ParameterizedTest(name = "REQ-UC-4 §2.1 table: A = {0}, F = {1}/10 min -> hits/day {2} (8 x base-20), {3} (10 x base-20)")
    @CsvSource({
            "100,    100,   5.6e-5, 1.4e-7",
            "1000,   1000,  5.6e-3, 1.4e-5",
            "10000,  100,   5.6e-3, 1.4e-5",
            "10000,  1000,  5.5e-2, 1.4e-4",
    })
    void expectedHitsPerDayWhenSecurityTestsTableThenSameFigures(
            long pending, double failuresPer10Minutes, double eightChars, double tenChars) {
        double failuresPerDay = failuresPer10Minutes * PER_DAY_FROM_PER_10_MINUTES;
        double tenCharSpace = UserCodeFormat.of(UserCodeFormat.BASE20.charset(), "XXXXXXXXXX").codeSpace();

        // the table gives P(hit)/day = 1 - e^-E, which is E to within 3 % at these sizes
        assertThat(new BruteForceRisk(S_8_BASE20, pending, failuresPerDay).expectedHitsPerDay())
                .isCloseTo(eightChars, withPercentage(3));
        assertThat(new BruteForceRisk(tenCharSpace, pending, failuresPerDay).expectedHitsPerDay())
                .isCloseTo(tenChars, withPercentage(3));
    }

    @Test
    void describeWhenNoFormatThenBitsShown() {
        assertThat(new BruteForceRisk(S_8_BASE20, 10_000, 144_000).describe())
                .isEqualTo("E_day = 5.6e-02 for S = 2.56e10 (34.6 bits), A_max = 10000, F = 144000/day");
        assertThat(new BruteForceRisk(S_8_BASE20, 1, 0.5).describe()).endsWith("F = 0.50/day");
    }

    @Test
    void constructorWhenNoFailuresThenNoRisk() {
        BruteForceRisk risk = new BruteForceRisk(S_8_BASE20, 1_000, 0);

        assertThat(risk.expectedHitsPerDay()).isZero();
        assertThat(risk.exceeds(0)).isFalse();
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
}
