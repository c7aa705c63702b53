package org.devicegrant.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantResolverTest {

    private static final Function<String, String> NO_HEADERS = name -> null;

    @Test
    void singleWhenAnyRequestThenDefaultTenant() {
        assertThat(TenantResolver.single().tenant("/orgs/acme/token", "id.example.com", NO_HEADERS))
                .isEqualTo(DeviceGrantRequest.DEFAULT_TENANT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/orgs/acme/token", "/orgs/acme", "/orgs/acme/"})
    void pathPrefixWhenSegmentFollowsPrefixThenThatTenant(String path) {
        assertThat(TenantResolver.pathPrefix("/orgs/").tenant(path, null, NO_HEADERS)).isEqualTo("acme");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/token", "/orgs/", "/orgs//token", "/orgs/Acme/token", "/orgs/ac%2Fme/token",
            "/orgs/../token", "/other/acme/token"})
    void pathPrefixWhenNoValidSegmentThenNoTenant(String path) {
        assertThat(TenantResolver.pathPrefix("/orgs/").tenant(path, null, NO_HEADERS)).isNull();
    }

    @Test
    void pathPrefixWhenSegmentLongerThan64ThenNoTenant() {
        TenantResolver resolver = TenantResolver.pathPrefix("/orgs/");
        assertThat(resolver.tenant("/orgs/" + "a".repeat(64) + "/token", null, NO_HEADERS)).hasSize(64);
        assertThat(resolver.tenant("/orgs/" + "a".repeat(65) + "/token", null, NO_HEADERS)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"orgs/", "/orgs", ""})
    void pathPrefixWhenPrefixNotSlashDelimitedThenRejected(String prefix) {
        assertThatThrownBy(() -> TenantResolver.pathPrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefixBeforeTenant");
    }

    @Test
    void headerWhenValidValueThenThatTenant() {
        Map<String, String> headers = Map.of("X-Tenant", "team-7");
        assertThat(TenantResolver.header("X-Tenant").tenant("/token", null, headers::get)).isEqualTo("team-7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Team", "team 7", "team_7"})
    void headerWhenInvalidValueThenNoTenant(String value) {
        Map<String, String> headers = Map.of("X-Tenant", value);
        assertThat(TenantResolver.header("X-Tenant").tenant("/token", null, headers::get)).isNull();
    }

    @Test
    void headerWhenMissingThenNoTenant() {
        assertThat(TenantResolver.header("X-Tenant").tenant("/token", null, NO_HEADERS)).isNull();
    }

    @Test
    void headerWhenBlankNameThenRejected() {
        assertThatThrownBy(() -> TenantResolver.header(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownTenantIsNotFoundAndNotCached() {
        assertThat(TenantResolver.UNKNOWN_TENANT.status()).isEqualTo(404);
        assertThat(TenantResolver.UNKNOWN_TENANT.header("Cache-Control")).contains("no-store");
    }
}
