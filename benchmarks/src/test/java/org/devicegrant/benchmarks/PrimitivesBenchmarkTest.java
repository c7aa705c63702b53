package org.devicegrant.benchmarks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class PrimitivesBenchmarkTest {

    private final PrimitivesBenchmark benchmark = new PrimitivesBenchmark();

    @Test
    void hmacUserCodeWhenComputedThenTheSameBytesOurHasherStores() throws Exception {
        benchmark.setup();

        String stored = Wiring.hasher().userCodeHash("BDFGHJKL");

        assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(benchmark.hmacUserCode())).isEqualTo(stored);
    }

    @Test
    void sha256DeviceCodeWhenRepeatedThenSameDigestOf32Bytes() throws Exception {
        benchmark.setup();

        byte[] first = benchmark.sha256DeviceCode().clone();

        assertThat(first).hasSize(32).isEqualTo(benchmark.sha256DeviceCode());
        assertThat(first).isNotEqualTo(MessageDigest.getInstance("SHA-256").digest("x".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void secureRandom32WhenCalledTwiceThenNewBytes() throws Exception {
        benchmark.setup();

        byte[] first = benchmark.secureRandom32().clone();

        assertThat(benchmark.secureRandom32()).hasSize(32).isNotEqualTo(first);
    }
}
