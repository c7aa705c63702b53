package org.devicegrant.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CachedTokensTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void ofWhenFlowSucceededThenExpiryCountsFromIssuedAt() {
        TokenResult.Success success = new TokenResult.Success("at", "Bearer", Duration.ofSeconds(600), "rt", "id",
                Set.of("openid"));

        CachedTokens tokens = CachedTokens.of(success, NOW);

        assertThat(tokens).isEqualTo(new CachedTokens("at", "Bearer", NOW.plusSeconds(600), "rt", "id",
                Set.of("openid")));
    }

    @Test
    void ofWhenNoExpiresInThenExpiryUnknown() {
        TokenResult.Success success = new TokenResult.Success("at", "Bearer", null, null, null, Set.of());

        assertThat(CachedTokens.of(success, NOW).expiresAt()).isNull();
    }

    @Test
    void validForWhenBeforeExpiryMinusMarginThenValidElseNot() {
        CachedTokens tokens = new CachedTokens("at", "Bearer", NOW.plusSeconds(100), null, null, Set.of());

        assertThat(tokens.validFor(NOW, Duration.ofSeconds(99))).isTrue();
        assertThat(tokens.validFor(NOW, Duration.ofSeconds(100))).isFalse();
        assertThat(tokens.validFor(NOW.plusSeconds(100), Duration.ZERO)).isFalse();
    }

    @Test
    void validForWhenExpiryUnknownThenValid() {
        CachedTokens tokens = new CachedTokens("at", "Bearer", null, null, null, Set.of());

        assertThat(tokens.validFor(NOW.plus(Duration.ofDays(3650)), Duration.ofHours(1))).isTrue();
    }

    @Test
    void toStringWhenTokensPresentThenNoTokenValues() {
        CachedTokens tokens = new CachedTokens("at-secret", "Bearer", NOW, "rt-secret", "eyJ.id-secret.sig",
                Set.of("openid"));

        assertThat(tokens.toString()).doesNotContain("at-secret").doesNotContain("rt-secret")
                .doesNotContain("id-secret").contains("refreshToken=present").contains("idToken=present")
                .contains("expiresAt=" + NOW);
    }

    @Test
    void constructorWhenScopeMutatedLaterThenCopyUnchanged() {
        Set<String> scope = new HashSet<>(Set.of("openid"));
        CachedTokens tokens = new CachedTokens("at", "Bearer", null, null, null, scope);

        scope.add("admin");

        assertThat(tokens.scope()).containsExactly("openid");
    }

    @Test
    void constructorWhenRequiredMissingOrEmptyThenRejected() {
        assertThatNullPointerException().isThrownBy(() -> new CachedTokens(null, "Bearer", null, null, null, Set.of()))
                .withMessage("accessToken");
        assertThatNullPointerException().isThrownBy(() -> new CachedTokens("at", null, null, null, null, Set.of()))
                .withMessage("tokenType");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CachedTokens("at", "Bearer", null, "", null, Set.of()))
                .withMessageContaining("refreshToken");
    }
}
