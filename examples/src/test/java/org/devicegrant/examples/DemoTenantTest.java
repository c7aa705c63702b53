package org.devicegrant.examples;

import org.devicegrant.DeviceSettings;
import org.devicegrant.code.BruteForceRisk;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.storage.AttemptPolicy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DemoTenantTest {

    @Test
    void pathsWhenDefaultTenantThenUnScopedAndWhenOrganisationThenUnderOrgs() {
        assertThat(DemoTenant.DEFAULT.isOrganisation()).isFalse();
        assertThat(DemoTenant.DEFAULT.deviceAuthorizationPath()).isEqualTo("/oauth2/device_authorization");
        assertThat(DemoTenant.DEFAULT.tokenPath()).isEqualTo("/oauth2/token");
        assertThat(DemoTenant.DEFAULT.verificationPath()).isEqualTo("/device");
        assertThat(DemoTenant.ACME.isOrganisation()).isTrue();
        assertThat(DemoTenant.ACME.deviceAuthorizationPath()).isEqualTo("/orgs/acme/api/v1/oauth/device_authorization");
        assertThat(DemoTenant.ACME.tokenPath()).isEqualTo("/orgs/acme/api/v1/oauth/token");
        assertThat(DemoTenant.ACME.verificationPath()).isEqualTo("/orgs/acme/device");
        assertThat(DemoTenant.all()).extracting(DemoTenant::id).containsExactly("default", "acme", "globex");
    }

    @Test
    void settingsWhenGlobexThenNineDigitsFiveMinutesAndItsCap() {
        DeviceSettings globex = DemoTenant.GLOBEX.settings();

        assertThat(globex.userCodeFormat()).isEqualTo(UserCodeFormat.DIGITS);
        assertThat(globex.codeLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(globex.maxPending()).isEqualTo(60L);
        assertThat(DemoTenant.ACME.settings().codeLifetime()).isNull();
        assertThat(DemoTenant.ACME.settings().userCodeFormat()).isEqualTo(UserCodeFormat.BASE20);
    }

    @Test
    @DisplayName("REQ-UC-4: nine digits with the default global budget pass at globex's cap of 60 and fail from 70")
    void bruteForceRiskWhenGlobexCapThenWithinTheAcceptedRisk() {
        double failuresPerDay = AttemptPolicy.defaults().globalFailuresPerDay();

        // E_day = F_day · A / S = 144,000 · 60 / 10^9
        BruteForceRisk atCap = new BruteForceRisk(UserCodeFormat.DIGITS.codeSpace(),
                DemoTenant.GLOBEX.maxPendingPerTenant(), failuresPerDay);
        BruteForceRisk above = new BruteForceRisk(UserCodeFormat.DIGITS.codeSpace(), 70, failuresPerDay);

        assertThat(failuresPerDay).isEqualTo(144_000.0);
        assertThat(atCap.expectedHitsPerDay()).isLessThanOrEqualTo(0.01);
        assertThat(above.expectedHitsPerDay()).isGreaterThan(0.01);
    }
}
