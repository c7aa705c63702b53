package org.devicegrant.benchmarks;

import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class FullCycleBenchmarkTest {

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void fullCycleWhenRepeatedOnTwoLanesThenEveryCycleGetsAnAccessTokenSignedWithTheAlgorithm(Algorithm algorithm)
            throws Exception {
        FullCycleBenchmark.Wired wired = new FullCycleBenchmark.Wired();
        wired.algorithm = algorithm.name();
        wired.store = "MEMORY";
        wired.setup();
        try {
            FullCycleBenchmark.Lane first = new FullCycleBenchmark.Lane();
            first.setup(wired);
            FullCycleBenchmark.Lane second = new FullCycleBenchmark.Lane();
            second.setup(wired);
            FullCycleBenchmark benchmark = new FullCycleBenchmark();

            for (int i = 0; i < 5; i++) {
                for (FullCycleBenchmark.Lane lane : new FullCycleBenchmark.Lane[] {first, second}) {
                    SignedJWT token = SignedJWT.parse(Cycle.accessToken(benchmark.fullCycle(wired, lane)));
                    assertThat(token.getHeader().getAlgorithm().getName()).isEqualTo(algorithm.name());
                    assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo(Cycle.SUBJECT);
                    assertThat(token.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("email profile");
                }
            }
        } finally {
            wired.tearDown();
        }
    }
}
