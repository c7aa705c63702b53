package org.devicegrant.token;

import org.devicegrant.clientauth.OAuthClient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenRequestTest {

    private static final OAuthClient CLIENT = OAuthClient.builder("tv-app").build();
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void constructWhenCollectionsChangeLaterThenRequestKeepsCopies() {
        Set<String> scopes = new HashSet<>(Set.of("openid"));
        Map<String, Object> claims = new HashMap<>(Map.of("email", "a@example.com"));

        TokenIssuanceRequest request = new TokenIssuanceRequest("t1", CLIENT, "alice", scopes, claims, null, "auth-1", NOW);
        scopes.add("offline_access");
        claims.put("role", "admin");

        assertThat(request.grantedScopes()).containsExactly("openid");
        assertThat(request.claims()).containsOnlyKeys("email");
        assertThatThrownBy(() -> request.grantedScopes().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void constructWhenAuthTimeNullAndClaimsEmptyThenAccepted() {
        TokenIssuanceRequest request = new TokenIssuanceRequest("t1", CLIENT, "alice", Set.of(), Map.of(), null, "auth-1", NOW);

        assertThat(request.authTime()).isNull();
        assertThat(request.claims()).isEmpty();
    }

    @Test
    void constructWhenRequiredComponentNullThenRejectedNamingIt() {
        assertThatThrownBy(() -> new TokenIssuanceRequest(null, CLIENT, "alice", Set.of(), Map.of(), null, "a", NOW))
                .isInstanceOf(NullPointerException.class).hasMessage("tenant");
        assertThatThrownBy(() -> new TokenIssuanceRequest("t1", null, "alice", Set.of(), Map.of(), null, "a", NOW))
                .isInstanceOf(NullPointerException.class).hasMessage("client");
        assertThatThrownBy(() -> new TokenIssuanceRequest("t1", CLIENT, null, Set.of(), Map.of(), null, "a", NOW))
                .isInstanceOf(NullPointerException.class).hasMessage("subject");
        assertThatThrownBy(() -> new TokenIssuanceRequest("t1", CLIENT, "alice", null, Map.of(), null, "a", NOW))
                .isInstanceOf(NullPointerException.class).hasMessage("grantedScopes");
        assertThatThrownBy(() -> new TokenIssuanceRequest("t1", CLIENT, "alice", Set.of(), null, null, "a", NOW))
                .isInstanceOf(NullPointerException.class).hasMessage("claims");
        assertThatThrownBy(() -> new TokenIssuanceRequest("t1", CLIENT, "alice", Set.of(), Map.of(), null, null, NOW))
                .isInstanceOf(NullPointerException.class).hasMessage("authorizationId");
        assertThatThrownBy(() -> new TokenIssuanceRequest("t1", CLIENT, "alice", Set.of(), Map.of(), null, "a", null))
                .isInstanceOf(NullPointerException.class).hasMessage("issuedAt");
    }

    @Test
    void constructWhenSubjectEmptyThenRejected() {
        assertThatThrownBy(() -> new TokenIssuanceRequest("t1", CLIENT, "", Set.of(), Map.of(), null, "a", NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("subject must not be empty");
    }

    @Test
    void constructWhenClaimValueNullThenRejected() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("email", null);

        assertThatThrownBy(() -> new TokenIssuanceRequest("t1", CLIENT, "alice", Set.of(), claims, null, "a", NOW))
                .isInstanceOf(NullPointerException.class);
    }
}
