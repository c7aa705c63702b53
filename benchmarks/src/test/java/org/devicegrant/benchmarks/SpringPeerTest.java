package org.devicegrant.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The peer driver gives the outcomes the benchmarks count on: no speed is checked here. */
class SpringPeerTest {

    @ParameterizedTest
    @EnumSource(SpringPeer.Store.class)
    void pollWhenNotApprovedThenAuthorizationPending(SpringPeer.Store store) {
        try (SpringPeer peer = new SpringPeer(store, Algorithm.RS256, Wiring.defaultRandom())) {
            SpringPeer.Codes codes = peer.authorize();

            assertThat(peer.poll(codes.deviceCode())).isEqualTo("authorization_pending");
            assertThat(peer.poll(codes.deviceCode())).isEqualTo("authorization_pending");
        }
    }

    @ParameterizedTest
    @EnumSource(SpringPeer.Store.class)
    void lookupWhenIssuedThenFoundAndWhenUnknownThenNot(SpringPeer.Store store) {
        try (SpringPeer peer = new SpringPeer(store, Algorithm.RS256, Wiring.defaultRandom())) {
            SpringPeer.Codes codes = peer.authorize();

            assertThat(peer.lookup(codes.userCode())).isTrue();
            assertThat(peer.lookup("BCDF-GHJK")).isFalse();
            assertThat(peer.holdsDeviceCode(codes.deviceCode())).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"RS256", "ES256"})
    void fullCycleWhenRepeatedThenEveryCycleGetsASignedAccessToken(Algorithm algorithm) {
        for (SpringPeer.Store store : SpringPeer.Store.values()) {
            try (SpringPeer peer = new SpringPeer(store, algorithm, Wiring.defaultRandom())) {
                for (int i = 0; i < 3; i++) {
                    String token = peer.fullCycle();

                    assertThat(token).as("cycle %d on %s", i, store).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
                    assertThat(header(token)).as("the JWS header of cycle %d on %s", i, store)
                            .contains("\"alg\":\"" + algorithm.name() + "\"");
                }
            }
        }
    }

    @Test
    void authorizeWhenMoreThanHundredPendingThenCappedStoreForgetsTheOldest() {
        // PEER-BENCH.md: the public constructor keeps at most 100 pending authorizations
        try (SpringPeer capped = new SpringPeer(SpringPeer.Store.MEMORY_CAPPED, Algorithm.RS256, Wiring.defaultRandom());
                SpringPeer uncapped = new SpringPeer(SpringPeer.Store.MEMORY_UNCAPPED, Algorithm.RS256,
                        Wiring.defaultRandom())) {
            SpringPeer.Codes firstCapped = capped.authorize();
            SpringPeer.Codes firstUncapped = uncapped.authorize();
            for (int i = 0; i < 150; i++) {
                capped.authorize();
                uncapped.authorize();
            }

            assertThat(capped.holdsDeviceCode(firstCapped.deviceCode())).isFalse();
            assertThat(uncapped.holdsDeviceCode(firstUncapped.deviceCode())).isTrue();
        }
    }

    private static String header(String jws) {
        return new String(java.util.Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))),
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
