package org.devicegrant.internal;

import org.devicegrant.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one rule on the tolerance: at most half of every interval in force. */
class PollingPolicyTest {

    @ParameterizedTest(name = "tolerance {0} fits interval {1}")
    @CsvSource({"PT0S, PT1S", "PT0.5S, PT1S", "PT0.8S, PT2S", "PT2.5S, PT5S"})
    void requireFitsWhenAtMostHalfTheIntervalThenFine(String tolerance, String interval) {
        PollingPolicy policy = new PollingPolicy(Duration.parse(tolerance));

        assertThatCode(() -> policy.requireFits(Duration.parse(interval), "pollingInterval")).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "tolerance {0} does not fit interval {1}")
    @CsvSource({"PT0.501S, PT1S, PT0.5S", "PT0.8S, PT1S, PT0.5S", "PT3S, PT5S, PT2.5S"})
    void requireFitsWhenMoreThanHalfTheIntervalThenRefusedNamingWhereAndTheRange(String tolerance, String interval,
            String half) {
        PollingPolicy policy = new PollingPolicy(Duration.parse(tolerance));

        assertThatThrownBy(() -> policy.requireFits(Duration.parse(interval), "pollingInterval of tenant acme"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("pollTolerance must be between PT0S and half of pollingInterval of tenant acme (" + half
                        + "), was " + tolerance);
    }

    @Test
    void constructorWhenToleranceNegativeOrNoRaceAttemptsThenRefused() {
        assertThatThrownBy(() -> new PollingPolicy(Duration.ofMillis(-1))).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("pollTolerance must be at least PT0S");
        assertThatThrownBy(() -> new PollingPolicy(Duration.ZERO, 0)).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("raceAttempts must be at least 1");
    }
}
