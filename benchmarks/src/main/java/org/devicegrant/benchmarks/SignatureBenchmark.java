package org.devicegrant.benchmarks;

import org.devicegrant.DeviceGrant;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;

/**
 * The physical limit of the token step: one JDK signature over the signing input (header and
 * claims) of an access token our grant issued in a full cycle, with the same key type. Public
 * only because JMH needs it.
 */
@State(Scope.Thread)
public class SignatureBenchmark {

    @Param({"RS256", "ES256", "EdDSA"})
    public String algorithm;

    private Signature signature;
    private byte[] signingInput;

    /** JMH trial set-up; not thread-safe, JMH calls it once per trial before any benchmark thread runs. */
    @Setup
    public void setup() throws GeneralSecurityException {
        Algorithm alg = Algorithm.valueOf(algorithm);
        signingInput = signingInput(alg);
        SecureRandom random = Wiring.defaultRandom();
        KeyPair keys = alg.newKeyPair(random);
        signature = Signature.getInstance(alg.jdkSignature());
        signature.initSign(keys.getPrivate(), random);
    }

    /** One measured operation; thread-safe as the states it uses (see the class comment). */
    @Benchmark
    public byte[] sign() throws GeneralSecurityException {
        signature.update(signingInput);
        return signature.sign();
    }

    /** The header and claims, as signed, of an access token from one full cycle of our grant. */
    static byte[] signingInput(Algorithm algorithm) {
        VirtualClock clock = new VirtualClock(Wiring.START);
        DeviceGrant grant = Wiring.grant(InMemoryDeviceAuthorizationStore.create(), new InMemoryAttemptLimiter(), clock,
                Wiring.defaultRandom(), algorithm);
        String token = Cycle.accessToken(Cycle.run(grant, clock, "signature-setup"));
        return token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }
}
