package org.devicegrant.storage.tck;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The check that a test backed by an external service (a database or Redis on loopback) runs
 * only when the service is there. Without it the test is skipped and one line says so, once
 * per service and JVM; with the environment variable {@value #REQUIRE_ENV}{@code =1} (CI sets
 * it) the test fails instead, so a missing service can never pass as green.
 *
 * <p>Thread-safe. Reachability is probed once per host and port and remembered for the JVM.
 */
public final class Services {

    /** The environment variable that turns a skip into a failure when set to {@code 1}. */
    public static final String REQUIRE_ENV = "DEVICEGRANT_REQUIRE_SERVICES";

    private static final int PROBE_TIMEOUT_MILLIS = 500;
    private static final Map<String, Optional<String>> PROBED = new ConcurrentHashMap<>();

    private Services() {
    }

    /**
     * Returns when a TCP connection to {@code host:port} can be opened (within 500 ms);
     * otherwise skips the calling test or class, or fails it when services are
     * {@linkplain #required() required}.
     *
     * @param name shown in the skip line, e.g. {@code "PostgreSQL"}
     * @throws org.opentest4j.TestAbortedException the service is unreachable and not required
     * @throws org.opentest4j.AssertionFailedError the service is unreachable and required
     */
    public static void require(String name, String host, int port) {
        Optional<String> reason = PROBED.computeIfAbsent(name + "@" + host + ":" + port,
                key -> probe(name, host, port));
        reason.ifPresent(Services::unavailable);
    }

    /**
     * Skips the calling test with {@code reason}, or fails it when services are
     * {@linkplain #required() required}. For checks beyond reachability (e.g. no account can
     * log in); the caller prints its own line.
     *
     * @throws org.opentest4j.TestAbortedException services are not required
     * @throws org.opentest4j.AssertionFailedError services are required
     */
    public static void unavailable(String reason) {
        if (required()) {
            Assertions.fail(reason);
        }
        Assumptions.abort(reason);
    }

    /** True when {@value #REQUIRE_ENV} is {@code 1}: a missing service fails instead of skipping. */
    public static boolean required() {
        return "1".equals(System.getenv(REQUIRE_ENV));
    }

    private static Optional<String> probe(String name, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MILLIS);
            return Optional.empty();
        } catch (IOException e) {
            String reason = name + " is not reachable on " + host + ":" + port + " (" + e.getClass().getSimpleName()
                    + (required() ? ") and " + REQUIRE_ENV + "=1: failing its tests"
                            : "): skipping its tests (set " + REQUIRE_ENV + "=1 to fail instead)");
            System.out.println("[devicegrant] " + reason);
            return Optional.of(reason);
        }
    }
}
