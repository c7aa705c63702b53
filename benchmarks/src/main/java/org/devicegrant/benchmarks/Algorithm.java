package org.devicegrant.benchmarks;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** The JWS algorithms the token issuer offers, with the JDK names of their keys and signatures. */
enum Algorithm {
    RS256("RSA", "SHA256withRSA"),
    ES256("EC", "SHA256withECDSA"),
    EdDSA("Ed25519", "Ed25519");

    private final String keyAlgorithm;
    private final String jdkSignature;

    Algorithm(String keyAlgorithm, String jdkSignature) {
        this.keyAlgorithm = keyAlgorithm;
        this.jdkSignature = jdkSignature;
    }

    /** The JDK {@code Signature} algorithm computing this JWS signature. */
    String jdkSignature() {
        return jdkSignature;
    }

    /** A new key pair: RSA 2048, EC P-256 or Ed25519. */
    KeyPair newKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
            switch (this) {
                case RS256 -> generator.initialize(2048, random);
                case ES256 -> generator.initialize(new ECGenParameterSpec("secp256r1"), random);
                default -> generator.initialize(255, random);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key", e);
        }
    }
}
