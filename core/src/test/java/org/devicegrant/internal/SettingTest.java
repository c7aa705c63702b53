package org.devicegrant.internal;

import org.devicegrant.InvalidSettingException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingTest {

    @Test
    void onceWhenUnsetThenTheValueAndWhenSetThenRefusedNamingTheSetting() {
        assertThat(Setting.once(null, "a", "name")).isEqualTo("a");
        assertThatThrownBy(() -> Setting.once("a", "b", "name")).isInstanceOf(IllegalStateException.class)
                .hasMessage("name was already set");
        assertThatNullPointerException().isThrownBy(() -> Setting.once(null, null, "name")).withMessage("name");
    }

    @Test
    void inRangeWhenInsideOrAtTheBoundsThenTheValue() {
        assertThat(Setting.inRange(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(3600), "codeLifetime"))
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(Setting.inRange(64, 16, 64, "deviceCodeBytes")).isEqualTo(64);
    }

    @Test
    void inRangeWhenOutsideThenRefusedNamingSettingRangeAndValue() {
        assertThatThrownBy(() -> Setting.inRange(15, 16, 64, "deviceCodeBytes"))
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
                    assertThat(e.setting()).isEqualTo("deviceCodeBytes");
                    assertThat(e.allowed()).isEqualTo("between 16 and 64");
                })
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deviceCodeBytes must be between 16 and 64, was 15");
    }

    @Test
    void requiredWhenMissingThenRefusedNamingWhatIsAllowed() {
        assertThatThrownBy(() -> Setting.required(null, "store", "a DeviceAuthorizationStore"))
                .isInstanceOf(InvalidSettingException.class).hasMessage("store is required: a DeviceAuthorizationStore");
    }
}
