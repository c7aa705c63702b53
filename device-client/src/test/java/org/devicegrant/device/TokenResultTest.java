package org.devicegrant.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenResultTest {

    @Test
    void successToStringWhenTokensPresentThenNoTokenValues() {
        TokenResult.Success success = new TokenResult.Success("at-secret", "Bearer", Duration.ofHours(1),
                "rt-secret", "eyJ.id-secret.sig", Set.of("openid"));

        assertThat(success.toString())
                .doesNotContain("at-secret").doesNotContain("rt-secret").doesNotContain("id-secret")
                .contains("tokenType=Bearer").contains("refreshToken=present").contains("idToken=present")
                .contains("[openid]");
    }

    @Test
    void successWhenScopeMutatedLaterThenCopyUnchanged() {
        Set<String> scope = new HashSet<>(Set.of("openid"));
        TokenResult.Success success = new TokenResult.Success("at", "Bearer", null, null, null, scope);

        scope.add("admin");

        assertThat(success.scope()).containsExactly("openid");
        assertThat(success.toString()).contains("refreshToken=absent").contains("idToken=absent");
    }

    @Test
    void successWhenAccessTokenMissingThenRejected() {
        assertThatNullPointerException()
                .isThrownBy(() -> new TokenResult.Success(null, "Bearer", null, null, null, Set.of()))
                .withMessage("accessToken");
    }

    @Test
    void failedWhenErrorMissingThenRejected() {
        assertThatNullPointerException().isThrownBy(() -> new TokenResult.Failed(null, "x")).withMessage("error");
    }
}
