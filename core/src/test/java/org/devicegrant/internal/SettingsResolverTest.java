package org.devicegrant.internal;

import org.devicegrant.CodePolicy;
import org.devicegrant.DeviceSettings;
import org.devicegrant.InvalidSettingException;
import org.devicegrant.Polling;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.code.UserCodeFormat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsResolverTest {

    /** The default attempt policy's global budget: 100 wrong guesses a minute. */
    private static final double FAILURES_PER_DAY = 144_000;
    private static final DeviceSettings ONE_SECOND = DeviceSettings.inherit().withPollingInterval(Duration.ofSeconds(1));
    private static final OAuthClient TV = OAuthClient.builder("tv").build();

    private static SettingsResolver resolver(CodePolicy codes, Duration tolerance, Map<String, DeviceSettings> tenants) {
        Polling polling = Polling.defaults().withTolerance(tolerance);
        return new SettingsResolver(codes, polling, new PollingPolicy(tolerance),
                tenant -> tenants.getOrDefault(tenant, DeviceSettings.inherit()), FAILURES_PER_DAY);
    }

    @Test
    void resolveWhenNothingOverriddenThenTheGrantsSettings() {
        SettingsResolver.Effective e = resolver(CodePolicy.defaults(), Duration.ofMillis(500), Map.of()).resolve("acme", TV);

        assertThat(e).isEqualTo(new SettingsResolver.Effective(Duration.ofSeconds(600), Duration.ofSeconds(5),
                UserCodeFormat.BASE20, false, 100, 1_000));
    }

    @Test
    void resolveWhenTenantAndClientCapsThenEachFromItsOwner() {
        OAuthClient capped = OAuthClient.builder("kiosk")
                .deviceSettings(DeviceSettings.inherit().withMaxPending(3)).build();
        SettingsResolver r = resolver(CodePolicy.defaults().withMaxPendingPerClient(7), Duration.ofMillis(500),
                Map.of("acme", DeviceSettings.inherit().withMaxPending(50)));

        assertThat(r.resolve("acme", TV).maxPendingPerClient()).isEqualTo(7);
        assertThat(r.resolve("acme", TV).maxPendingPerTenant()).isEqualTo(50);
        assertThat(r.resolve("acme", capped).maxPendingPerClient()).isEqualTo(3);
        assertThat(r.resolve("globex", capped).maxPendingPerTenant()).isEqualTo(1_000);
    }

    @Test
    void resolveWhenTenantIntervalIsOneSecondAndToleranceHalfOfItThenFine() {
        SettingsResolver r = resolver(CodePolicy.defaults(), Duration.ofMillis(500), Map.of("acme", ONE_SECOND));

        assertThat(r.resolve("acme", TV).pollingInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void resolveWhenTenantIntervalIsOneSecondAndTolerance800MillisThenRefusedNamingTheTenant() {
        SettingsResolver r = resolver(CodePolicy.defaults(), Duration.ofMillis(800), Map.of("acme", ONE_SECOND));

        assertThatThrownBy(() -> r.resolve("acme", TV)).isInstanceOf(InvalidSettingException.class)
                .hasMessage("pollTolerance must be between PT0S and half of pollingInterval of tenant acme (PT0.5S), "
                        + "was PT0.8S");
        assertThat(r.resolve("globex", TV).pollingInterval()).as("other tenants keep the grant's 5 s")
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void resolveWhenClientIntervalIsOneSecondAndTolerance800MillisThenRefusedNamingTheClient() {
        OAuthClient fast = OAuthClient.builder("fast-tv").deviceSettings(ONE_SECOND).build();
        SettingsResolver r = resolver(CodePolicy.defaults(), Duration.ofMillis(800), Map.of());

        assertThatThrownBy(() -> r.resolve("acme", fast)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("half of pollingInterval of client fast-tv of tenant acme (PT0.5S)");
    }

    @Test
    void constructorWhenADeclaredFormatIsTooWeakForTheTenantCapThenRefused() {
        // 9 digits at 1,000 pending: E_day = 144,000 · 1,000 / 10^9 = 0.144 > 0.01
        CodePolicy weak = CodePolicy.defaults().withAdditionalFormats(UserCodeFormat.DIGITS);

        assertThatThrownBy(() -> resolver(weak, Duration.ofMillis(500), Map.of()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("XXX-XXX-XXX with E_day = 1.4e-01");
        assertThat(resolver(weak.withBruteForceRiskAccepted(), Duration.ofMillis(500), Map.of()).formats())
                .containsExactly(UserCodeFormat.BASE20, UserCodeFormat.DIGITS);
    }

    @Test
    void resolveWhenATenantCapMakesItsFormatTooWeakThenRefusedNamingTheTenant() {
        // 9 digits at 50 pending pass (E_day = 0.0072); at the grant's 1,000 they would not
        CodePolicy codes = CodePolicy.defaults().withAdditionalFormats(UserCodeFormat.DIGITS)
                .withMaxPendingPerTenant(50);
        SettingsResolver r = resolver(codes, Duration.ofMillis(500),
                Map.of("acme", DeviceSettings.inherit().withUserCodeFormat(UserCodeFormat.DIGITS).withMaxPending(1_000)));

        assertThatThrownBy(() -> r.resolve("acme", TV)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("maxPendingPerTenant 1000 of tenant acme");
    }

    @Test
    void resolveWhenClientFormatNotDeclaredThenRefusedNamingTheClient() {
        OAuthClient odd = OAuthClient.builder("odd")
                .deviceSettings(DeviceSettings.inherit().withUserCodeFormat(UserCodeFormat.of("AB", "XXXX"))).build();

        assertThatThrownBy(() -> resolver(CodePolicy.defaults(), Duration.ofMillis(500), Map.of()).resolve("acme", odd))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.setting()).isEqualTo("userCodeFormat of client odd of tenant acme"));
    }
}
