package org.devicegrant.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Objects;
import java.util.Set;

/**
 * Signs JWS objects with {@code EdDSA} over Ed25519 (RFC 8037 §3.1) using the JDK's own
 * {@code Ed25519} signature (Java 15+), so no third-party crypto library is needed.
 * Thread-safe: each call uses its own {@link Signature}.
 */
final class JdkEd25519Signer implements JWSSigner {

    private final PrivateKey privateKey;
    private final JCAContext jcaContext = new JCAContext();

    JdkEd25519Signer(PrivateKey privateKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            throw new JOSEException("unsupported JWS algorithm " + header.getAlgorithm() + ", expected EdDSA");
        }
        try {
            Signature signature = newSignature(jcaContext);
            signature.initSign(privateKey);
            signature.update(signingInput);
            return Base64URL.encode(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new JOSEException("Ed25519 signing failed", e);
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

    static Signature newSignature(JCAContext context) throws GeneralSecurityException {
        return context.getProvider() == null
                ? Signature.getInstance("Ed25519")
                : Signature.getInstance("Ed25519", context.getProvider());
    }
}
