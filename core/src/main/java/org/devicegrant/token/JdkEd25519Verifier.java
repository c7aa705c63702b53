package org.devicegrant.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies {@code EdDSA} / Ed25519 JWS signatures (RFC 8037 §3.1) with the JDK's own
 * {@code Ed25519} signature. Thread-safe: each call uses its own {@link Signature}.
 */
final class JdkEd25519Verifier implements JWSVerifier {

    private static final int SIGNATURE_LENGTH = 64;

    private final PublicKey publicKey;
    private final JCAContext jcaContext = new JCAContext();

    JdkEd25519Verifier(PublicKey publicKey) {
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            throw new JOSEException("unsupported JWS algorithm " + header.getAlgorithm() + ", expected EdDSA");
        }
        // RFC 7515 §4.1.11: a "crit" extension the recipient does not understand makes the JWS invalid.
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            return false;
        }
        byte[] raw = signature.decode();
        if (raw.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature verifier = JdkEd25519Signer.newSignature(jcaContext);
            verifier.initVerify(publicKey);
            verifier.update(signingInput);
            return verifier.verify(raw);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new JOSEException("Ed25519 verification failed", e);
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
