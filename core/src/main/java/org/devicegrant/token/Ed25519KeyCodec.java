package org.devicegrant.token;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Converts Ed25519 keys between OKP JWKs (RFC 8037 §2: {@code x} and {@code d} are the raw
 * 32-byte keys of RFC 8032) and the JDK's own {@code Ed25519} keys, through the fixed DER
 * wrappers of RFC 8410 §4 and §7, so that no third-party crypto library is needed.
 */
final class Ed25519KeyCodec {

    static final int KEY_LENGTH = 32;

    /** SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 (1.3.101.112) }, BIT STRING (32 bytes) }. */
    private static final byte[] SPKI_PREFIX = hex("302a300506032b6570032100");
    /** OneAsymmetricKey v1 { 0, AlgorithmIdentifier { id-Ed25519 }, OCTET STRING { OCTET STRING (32 bytes) } }. */
    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");

    private Ed25519KeyCodec() {
    }

    static PublicKey publicKey(OctetKeyPair jwk) throws GeneralSecurityException {
        requireEd25519(jwk);
        byte[] x = jwk.getDecodedX();
        requireLength(x, "x");
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, x)));
    }

    static PrivateKey privateKey(OctetKeyPair jwk) throws GeneralSecurityException {
        requireEd25519(jwk);
        if (jwk.getD() == null) {
            throw new IllegalArgumentException("the Ed25519 key has no private part (d)");
        }
        byte[] d = jwk.getDecodedD();
        requireLength(d, "d");
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, d)));
    }

    /**
     * The OKP JWK of a JDK Ed25519 key pair, with the private part.
     *
     * @throws IllegalArgumentException the keys are not Ed25519, or the private key does not
     *                                  expose its bytes (e.g. it lives in a hardware module)
     */
    static OctetKeyPair toJwk(PublicKey publicKey, PrivateKey privateKey) {
        byte[] encoded = publicKey.getEncoded();
        if (encoded == null || encoded.length != SPKI_PREFIX.length + KEY_LENGTH
                || !Arrays.equals(encoded, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("the public key is not an Ed25519 key");
        }
        byte[] x = Arrays.copyOfRange(encoded, SPKI_PREFIX.length, encoded.length);
        if (!(privateKey instanceof EdECPrivateKey)) {
            throw new IllegalArgumentException("the private key is not an Ed25519 key");
        }
        byte[] d = ((EdECPrivateKey) privateKey).getBytes()
                .orElseThrow(() -> new IllegalArgumentException("the Ed25519 private key does not expose its bytes"));
        requireLength(d, "d");
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d)).build();
    }

    private static void requireEd25519(OctetKeyPair jwk) {
        if (!Curve.Ed25519.equals(jwk.getCurve())) {
            throw new IllegalArgumentException("the OKP key is not on curve Ed25519");
        }
    }

    private static void requireLength(byte[] raw, String member) {
        if (raw.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 '" + member + "' has " + KEY_LENGTH + " bytes, got " + raw.length);
        }
    }

    private static byte[] concat(byte[] prefix, byte[] raw) {
        byte[] out = Arrays.copyOf(prefix, prefix.length + raw.length);
        System.arraycopy(raw, 0, out, prefix.length, raw.length);
        return out;
    }

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
