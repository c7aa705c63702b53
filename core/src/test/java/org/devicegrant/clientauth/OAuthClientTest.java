package org.devicegrant.clientauth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a registered client may do. */
class OAuthClientTest {

    @Test
    void I01_introspectionIsOffByDefaultAndOnlyForConfidentialClients() {
        // RFC 7662 §2.1: the introspection endpoint requires authentication; a public client has none
        assertThat(OAuthClient.builder("tv").build().mayIntrospect()).isFalse();
        assertThat(OAuthClient.builder("api").secret(ClientSecret.sha256("s")).mayIntrospect(true).build()
                .mayIntrospect()).isTrue();
        assertThatThrownBy(() -> OAuthClient.builder("tv").mayIntrospect(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be allowed to introspect");
        assertThatThrownBy(() -> OAuthClient.builder("api").mayIntrospect(true).mayIntrospect(false))
                .isInstanceOf(IllegalStateException.class);
    }
}
