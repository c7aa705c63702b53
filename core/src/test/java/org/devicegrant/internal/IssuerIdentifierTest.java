package org.devicegrant.internal;

import org.devicegrant.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 8414 §2: the one issuer check, used by the grant's endpoints and the JWT token issuer. */
class IssuerIdentifierTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://id.example.com", "https://id.example.com/tenants/acme", "HTTPS://ID.EXAMPLE.COM",
            "http://localhost:8080", "http://LOCALHOST", "http://127.0.0.1/issuer", "http://[::1]:8080"})
    void checkWhenHttpsOrLoopbackHttpThenAccepted(String issuer) {
        URI uri = URI.create(issuer);

        assertThat(IssuerIdentifier.check(uri, "issuer")).isSameAs(uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://id.example.com", "http://127.0.0.2", "http://[::2]", "ftp://localhost",
            "https://id.example.com?realm=a", "https://id.example.com#top", "https://id.example.com/?",
            "/relative/issuer", "https:opaque", "https:///no-host"})
    void checkWhenNotHttpsOrWithQueryOrFragmentThenRefusedNamingTheSettingAndTheRule(String issuer) {
        assertThatThrownBy(() -> IssuerIdentifier.check(URI.create(issuer), "issuer"))
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
                    assertThat(e.setting()).isEqualTo("issuer");
                    assertThat(e.allowed()).isEqualTo(IssuerIdentifier.ALLOWED)
                            .contains("https", "query", "fragment", "user info", "localhost", "127.0.0.1", "[::1]");
                })
                .hasMessage("issuer must be " + IssuerIdentifier.ALLOWED + ", was " + issuer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user:s3cret@id.example.com", "http://admin@localhost"})
    void checkWhenUserInfoThenRefusedWithoutRepeatingIt(String issuer) {
        assertThatThrownBy(() -> IssuerIdentifier.check(URI.create(issuer), "issuer"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("issuer must be " + IssuerIdentifier.ALLOWED + ", was a URL with user info")
                .message().doesNotContain("s3cret").doesNotContain("admin");
    }

    @Test
    void checkWhenMissingThenRequired() {
        assertThatThrownBy(() -> IssuerIdentifier.check(null, "issuer")).isInstanceOf(InvalidSettingException.class)
                .hasMessage("issuer is required: " + IssuerIdentifier.ALLOWED);
    }
}
