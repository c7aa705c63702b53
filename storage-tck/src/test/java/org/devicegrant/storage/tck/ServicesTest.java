package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ServicesTest {

    @Test
    void requireWhenServiceListensThenReturns() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatCode(() -> Services.require("Listening", "127.0.0.1", listening.getLocalPort()))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void requireWhenNothingListensThenSkippedOrFailedWhenRequired() throws IOException {
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        Class<? extends Throwable> expected = Services.required() ? AssertionFailedError.class
                : TestAbortedException.class;
        assertThatThrownBy(() -> Services.require("Nothing", "127.0.0.1", closedPort)).isInstanceOf(expected)
                .hasMessageContaining("Nothing is not reachable on 127.0.0.1:" + closedPort)
                .hasMessageContaining(Services.REQUIRE_ENV);
    }

    @Test
    void unavailableWhenNotRequiredThenAbortsWithTheReason() {
        Class<? extends Throwable> expected = Services.required() ? AssertionFailedError.class
                : TestAbortedException.class;
        assertThatThrownBy(() -> Services.unavailable("no account logs in")).isInstanceOf(expected)
                .hasMessage("no account logs in");
    }
}
