package org.devicegrant.benchmarks;

import org.devicegrant.http.DeviceGrantResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceAuthorizationBenchmarkTest {

    private final DeviceAuthorizationBenchmark benchmark = new DeviceAuthorizationBenchmark();

    @AfterEach
    void close() throws Exception {
        benchmark.tearDown();
    }

    @Test
    void deviceAuthorizationWhenTwiceThePendingCapIsIssuedThenNeverCapped() {
        // the clock moves 1 s per request and codes live 600 s, so about 600 stay pending (cap 1,000)
        benchmark.store = "MEMORY";
        benchmark.setup();

        DeviceGrantResponse response = null;
        for (int i = 0; i < 2_000; i++) {
            response = benchmark.deviceAuthorization();
            assertThat(response.status()).as("request %d", i).isEqualTo(200);
        }
        // RFC 8628 §3.2: the response carries the codes and the interval
        assertThat(response.body()).contains("\"device_code\"", "\"interval\":5")
                .containsPattern("\"user_code\":\"[B-Z]{4}-[B-Z]{4}\"");
    }
}
