package org.devicegrant.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import org.devicegrant.internal.Setting;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

/**
 * A validated signing key: the private JWK (with a {@code kid}, {@code use=sig} and {@code alg}
 * filled in when absent), its JWS algorithm and a thread-safe signer. Every rejection is an
 * {@link IllegalArgumentException} whose message starts with the setting's name.
 */
final class SigningKey {

    static final int MIN_RSA_BITS = 2048;
    static final String ALLOWED = "RSA (RS256, at least " + MIN_RSA_BITS + " bits), EC P-256 (ES256) or OKP Ed25519 (EdDSA)";
    private static final byte[] SELF_TEST_INPUT = "devicegrant signing key check".getBytes(StandardCharsets.US_ASCII);

    private final JWK jwk;
    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;
    private final JWSVerifier verifier;

    private SigningKey(JWK jwk, JWSAlgorithm algorithm, JWSSigner signer, JWSVerifier verifier) {
        this.jwk = jwk;
        this.algorithm = algorithm;
        this.signer = signer;
        this.verifier = verifier;
    }

    /** The private JWK with its kid. */
    JWK jwk() {
        return jwk;
    }

    String keyId() {
        return jwk.getKeyID();
    }

    JWSAlgorithm algorithm() {
        return algorithm;
    }

    JWSSigner signer() {
        return signer;
    }

    /** Verifies signatures of this key's public part; thread-safe. */
    JWSVerifier verifier() {
        return verifier;
    }

    /**
     * Validates {@code key}, derives what is missing, and proves by a test signature that its
     * private and public parts belong together.
     *
     * @param random used by signature schemes that need randomness (ECDSA)
     */
    static SigningKey of(JWK key, SecureRandom random) {
        if (key == null) {
            throw new IllegalArgumentException("signingKey is required: " + ALLOWED + ", with its private part");
        }
        JWSAlgorithm algorithm = algorithmOf(key);
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("signingKey must include its private part");
        }
        if (key instanceof RSAKey rsa) {
            Setting.require(rsa.size() >= MIN_RSA_BITS, "signingKey", "an RSA key of at least " + MIN_RSA_BITS + " bits",
                    rsa.size() + " bits");
        }
        if (key.getAlgorithm() != null && !algorithm.equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("signingKey: its alg is " + key.getAlgorithm() + " but this key type signs with "
                    + algorithm);
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            throw new IllegalArgumentException("signingKey: its use must be sig, got " + key.getKeyUse().identifier());
        }
        JWK complete = complete(key, algorithm);
        try {
            JWSSigner signer = signerOf(complete);
            signer.getJCAContext().setSecureRandom(random);
            JWSHeader header = new JWSHeader(algorithm);
            Base64URL signature = signer.sign(header, SELF_TEST_INPUT);
            JWSVerifier verifier = verifierOf(complete);
            if (!verifier.verify(header, SELF_TEST_INPUT, signature)) {
                throw new IllegalArgumentException("signingKey: its private and public parts do not match");
            }
            return new SigningKey(complete, algorithm, signer, verifier);
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalArgumentException("signingKey cannot sign with " + algorithm + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * The private JWK of a JDK key pair: RSA, EC P-256 or Ed25519.
     *
     * @param keyId the kid, or null to derive the RFC 7638 thumbprint
     */
    static JWK fromKeyPair(KeyPair keyPair, String keyId) {
        PublicKey publicKey = keyPair.getPublic();
        PrivateKey privateKey = keyPair.getPrivate();
        if (publicKey == null) {
            throw new IllegalArgumentException("signingKey: the key pair has no public key");
        }
        if (privateKey == null) {
            throw new IllegalArgumentException("signingKey must include its private part");
        }
        if (publicKey instanceof RSAPublicKey) {
            return new RSAKey.Builder((RSAPublicKey) publicKey).privateKey(privateKey).keyID(keyId).build();
        }
        if (publicKey instanceof ECPublicKey) {
            Curve curve = Curve.forECParameterSpec(((ECPublicKey) publicKey).getParams());
            if (!Curve.P_256.equals(curve)) {
                throw new IllegalArgumentException("signingKey: an EC key must be on curve P-256 (ES256), got "
                        + (curve == null ? "an unnamed curve" : curve.getName()));
            }
            return new ECKey.Builder(curve, (ECPublicKey) publicKey).privateKey(privateKey).keyID(keyId).build();
        }
        try {
            OctetKeyPair okp = Ed25519KeyCodec.toJwk(publicKey, privateKey);
            return new OctetKeyPair.Builder(okp).keyID(keyId).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signingKey must be " + ALLOWED + ": " + e.getMessage(), e);
        }
    }

    /** The RFC 7638 SHA-256 thumbprint of {@code key}'s public members, base64url. */
    static String thumbprint(JWK key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot compute the RFC 7638 thumbprint of a " + key.getKeyType() + " key", e);
        }
    }

    private static JWSAlgorithm algorithmOf(JWK key) {
        if (key instanceof RSAKey) {
            return JWSAlgorithm.RS256;
        }
        if (key instanceof ECKey) {
            Curve curve = ((ECKey) key).getCurve();
            if (!Curve.P_256.equals(curve)) {
                throw new IllegalArgumentException("signingKey: an EC key must be on curve P-256 (ES256), got " + curve);
            }
            return JWSAlgorithm.ES256;
        }
        if (key instanceof OctetKeyPair) {
            Curve curve = ((OctetKeyPair) key).getCurve();
            if (!Curve.Ed25519.equals(curve)) {
                throw new IllegalArgumentException("signingKey: an OKP key must be on curve Ed25519 (EdDSA), got " + curve);
            }
            return JWSAlgorithm.EdDSA;
        }
        throw new IllegalArgumentException("signingKey must be " + ALLOWED + ", got key type " + key.getKeyType());
    }

    private static JWK complete(JWK key, JWSAlgorithm algorithm) {
        String keyId = key.getKeyID() == null || key.getKeyID().isEmpty() ? thumbprint(key) : key.getKeyID();
        KeyUse use = key.getKeyUse() == null && key.getKeyOperations() == null ? KeyUse.SIGNATURE : key.getKeyUse();
        if (key instanceof RSAKey) {
            return new RSAKey.Builder((RSAKey) key).keyID(keyId).keyUse(use).algorithm(algorithm).build();
        }
        if (key instanceof ECKey) {
            return new ECKey.Builder((ECKey) key).keyID(keyId).keyUse(use).algorithm(algorithm).build();
        }
        return new OctetKeyPair.Builder((OctetKeyPair) key).keyID(keyId).keyUse(use).algorithm(algorithm).build();
    }

    private static JWSSigner signerOf(JWK key) throws JOSEException, GeneralSecurityException {
        if (key instanceof RSAKey) {
            return new RSASSASigner((RSAKey) key);
        }
        if (key instanceof ECKey) {
            return new ECDSASigner((ECKey) key);
        }
        return new JdkEd25519Signer(Ed25519KeyCodec.privateKey((OctetKeyPair) key));
    }

    private static JWSVerifier verifierOf(JWK key) throws JOSEException, GeneralSecurityException {
        if (key instanceof RSAKey) {
            return new RSASSAVerifier(((RSAKey) key).toRSAPublicKey());
        }
        if (key instanceof ECKey) {
            return new ECDSAVerifier(((ECKey) key).toECPublicKey());
        }
        return new JdkEd25519Verifier(Ed25519KeyCodec.publicKey((OctetKeyPair) key));
    }
}
