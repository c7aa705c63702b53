package org.devicegrant.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The physical limit of the steps that do no signing: the work no implementation can avoid,
 * with the JDK objects reused (no {@code getInstance} per call). Public only because JMH needs it.
 */
@State(Scope.Thread)
public class PrimitivesBenchmark {

    private SecureRandom random;
    private final byte[] randomBytes = new byte[32];
    private MessageDigest sha256;
    private byte[] deviceCode;
    private Mac hmac;
    private byte[] userCode;

    /** JMH trial set-up; not thread-safe, JMH calls it once per trial before any benchmark thread runs. */
    @Setup
    public void setup() throws GeneralSecurityException {
        random = Wiring.defaultRandom();
        sha256 = MessageDigest.getInstance("SHA-256");
        deviceCode = Prefill.randomBase64(random, 32).getBytes(StandardCharsets.US_ASCII);
        hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(Wiring.USER_CODE_KEY, "HmacSHA256"));
        userCode = "BDFGHJKL".getBytes(StandardCharsets.US_ASCII);
    }

    /** 32 bytes (256 bits) from the host's default {@code SecureRandom}: one device code's randomness. */
    @Benchmark
    public byte[] secureRandom32() {
        random.nextBytes(randomBytes);
        return randomBytes;
    }

    /** SHA-256 of a 43-character device code: its storage hash. */
    @Benchmark
    public byte[] sha256DeviceCode() {
        return sha256.digest(deviceCode);
    }

    /** HMAC-SHA-256 of an 8-character user code: its storage hash. */
    @Benchmark
    public byte[] hmacUserCode() {
        return hmac.doFinal(userCode);
    }
}
