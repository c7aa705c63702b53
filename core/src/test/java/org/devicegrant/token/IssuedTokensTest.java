package org.devicegrant.token;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IssuedTokensTest {

    @Test
    void toStringWhenAllTokensPresentThenPrintsNoToken() {
        IssuedTokens tokens = new IssuedTokens("access-SECRET-1", "Bearer", Duration.ofMinutes(10),
                "refresh-SECRET-2", "id-SECRET-3", Set.of("openid"));

        assertThat(tokens.toString())
                .doesNotContain("SECRET")
                .contains("Bearer", "PT10M", "openid", "refreshToken=(present)", "idToken=(present)");
    }

    @Test
    void toStringWhenOptionalTokensAbsentThenSaysNone() {
        IssuedTokens tokens = new IssuedTokens("a", "Bearer", Duration.ofMinutes(1), null, null, Set.of());

        assertThat(tokens.toString()).contains("refreshToken=(none)", "idToken=(none)");
    }

    @Test
    void constructWhenExpiresInNotPositiveThenRejected() {
        assertThatThrownBy(() -> new IssuedTokens("a", "Bearer", Duration.ZERO, null, null, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expiresIn must be positive");
    }

    @Test
    void constructWhenAccessTokenMissingThenRejected() {
        assertThatThrownBy(() -> new IssuedTokens(null, "Bearer", Duration.ofMinutes(1), null, null, Set.of()))
                .isInstanceOf(NullPointerException.class).hasMessage("accessToken");
        assertThatThrownBy(() -> new IssuedTokens("", "Bearer", Duration.ofMinutes(1), null, null, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("accessToken must not be empty");
    }

    @Test
    void constructWhenRefreshTokenEmptyThenRejected() {
        assertThatThrownBy(() -> new IssuedTokens("a", "Bearer", Duration.ofMinutes(1), "", null, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("refreshToken must be null or non-empty");
    }

    @Test
    void constructWhenScopeChangesLaterThenKeepsCopy() {
        Set<String> scopes = new HashSet<>(Set.of("a"));
        IssuedTokens tokens = new IssuedTokens("a", "Bearer", Duration.ofMinutes(1), null, null, scopes);
        scopes.add("b");

        assertThat(tokens.scope()).containsExactly("a");
    }
}
