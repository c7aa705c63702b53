package org.devicegrant.benchmarks;

import org.devicegrant.DeviceGrant;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;

/**
 * The device authorization request through {@link DeviceGrant#deviceAuthorization}: form parsed,
 * client found, caps counted, device code and user code generated, both hashed, the record
 * stored, the JSON response rendered. A shared virtual clock moves 1 s per request, so with the
 * default 600 s lifetime about 600 authorizations stay pending and expired ones are purged as
 * new ones come. Public only because JMH needs it.
 */
@State(Scope.Benchmark)
public class DeviceAuthorizationBenchmark {

    static final Duration STEP = Duration.ofSeconds(1);

    @Param({"MEMORY"})
    public String store;

    private StoreKind.Opened opened;
    private VirtualClock clock;
    private DeviceGrant grant;
    private final DeviceGrantRequest request = Wiring.deviceAuthorizationRequest();

    /** JMH trial set-up; not thread-safe, JMH calls it once per trial before any benchmark thread runs. */
    @Setup
    public void setup() {
        opened = StoreKind.valueOf(store).open(Wiring.defaultRandom());
        clock = new VirtualClock(Wiring.START);
        grant = Wiring.grant(opened.store(), new InMemoryAttemptLimiter(), clock, Wiring.defaultRandom(),
                Algorithm.ES256);
    }

    /** JMH trial tear-down: removes what the trial stored and disconnects. */
    @TearDown
    public void tearDown() throws Exception {
        opened.close();
    }

    /** One measured operation; thread-safe as the states it uses (see the class comment). */
    @Benchmark
    public DeviceGrantResponse deviceAuthorization() {
        clock.advance(STEP);
        return grant.deviceAuthorization(request);
    }
}
