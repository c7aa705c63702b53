package org.devicegrant.benchmarks;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureBenchmarkTest {

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void signingInputWhenTakenFromAFullCycleThenHeaderOfTheAlgorithmAndTheAccessTokenClaims(Algorithm algorithm)
            throws Exception {
        String[] parts = new String(SignatureBenchmark.signingInput(algorithm), StandardCharsets.US_ASCII).split("\\.");

        assertThat(parts).hasSize(2);
        assertThat(decode(parts[0])).contains("\"alg\":\"" + algorithm.name() + "\"", "at+jwt");
        assertThat(decode(parts[1])).contains("\"client_id\":\"tv-app\"", "\"sub\":\"alice\"");
        SignatureBenchmark benchmark = new SignatureBenchmark();
        benchmark.algorithm = algorithm.name();
        benchmark.setup();
        assertThat(benchmark.sign()).hasSizeGreaterThanOrEqualTo(64);
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
