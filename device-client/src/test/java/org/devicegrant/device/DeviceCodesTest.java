package org.devicegrant.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeviceCodesTest {

    static final URI VERIFICATION = URI.create("https://as.example/device");
    static final Instant EXPIRES_AT = Instant.parse("2026-01-01T00:30:00Z");

    static DeviceCodes of(String deviceCode, String userCode, URI verificationUri, Duration interval) {
        return new DeviceCodes(deviceCode, userCode, verificationUri, null, Duration.ofMinutes(30), interval,
                EXPIRES_AT);
    }

    @Test
    @DisplayName("D16: toString never prints the device code (nor the user code)")
    void toStringWhenCalledThenNoCodes() {
        DeviceCodes authorization = new DeviceCodes("dc-very-secret", "WDJB-MJHT", VERIFICATION,
                URI.create("https://as.example/device?user_code=WDJBMJHT"), Duration.ofMinutes(30),
                Duration.ofSeconds(5), EXPIRES_AT);

        assertThat(authorization.toString())
                .doesNotContain("dc-very-secret")
                .doesNotContain("WDJB")
                .contains("https://as.example/device,")
                .contains("verificationUriComplete=present")
                .contains("interval=PT5S");
    }

    @Test
    @DisplayName("D18 D19: the user code and the textual verification URI are always there to display")
    void constructorWhenUserCodeOrVerificationUriMissingThenRejected() {
        assertThatNullPointerException().isThrownBy(() -> of("dc", null, VERIFICATION, Duration.ofSeconds(5)))
                .withMessage("userCode");
        assertThatNullPointerException().isThrownBy(() -> of("dc", "WDJB-MJHT", null, Duration.ofSeconds(5)))
                .withMessage("verificationUri");
        assertThatIllegalArgumentException().isThrownBy(() -> of("dc", "", VERIFICATION, Duration.ofSeconds(5)))
                .withMessage("userCode must not be empty");
    }

    @Test
    void constructorWhenIntervalNotPositiveThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> of("dc", "WDJB-MJHT", VERIFICATION, Duration.ZERO))
                .withMessageContaining("interval must be positive");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> of("dc", "WDJB-MJHT", VERIFICATION, Duration.ofSeconds(-5)))
                .withMessageContaining("interval must be positive");
    }

    @Test
    void constructorWhenDeviceCodeEmptyThenRejectedWithoutEchoingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> of("", "WDJB-MJHT", VERIFICATION, Duration.ofSeconds(5)))
                .withMessage("deviceCode must not be empty");
    }
}
