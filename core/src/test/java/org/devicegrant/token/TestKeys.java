package org.devicegrant.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

/** Keys generated once per test run (RSA generation is slow), and a verifier for any public JWK. */
final class TestKeys {

    static final RSAKey RSA = generate(() -> new RSAKeyGenerator(2048).keyID("rsa-1").generate());
    static final ECKey EC = generate(() -> new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate());
    static final KeyPair ED25519_PAIR = generate(() -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair());

    private TestKeys() {
    }

    /** A verifier for a public JWK as published in a JWK set. */
    static JWSVerifier verifierFor(JWK publicKey) throws JOSEException, GeneralSecurityException {
        if (publicKey instanceof RSAKey) {
            return new RSASSAVerifier((RSAKey) publicKey);
        }
        if (publicKey instanceof ECKey) {
            return new ECDSAVerifier((ECKey) publicKey);
        }
        return new JdkEd25519Verifier(Ed25519KeyCodec.publicKey((OctetKeyPair) publicKey));
    }

    static KeyPair jdkKeyPair(String algorithm, int bits) {
        return generate(() -> {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(bits);
            return generator.generateKeyPair();
        });
    }

    private interface Generator<T> {
        T generate() throws Exception;
    }

    private static <T> T generate(Generator<T> generator) {
        try {
            return generator.generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
