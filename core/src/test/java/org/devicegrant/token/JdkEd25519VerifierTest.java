package org.devicegrant.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdkEd25519VerifierTest {

    private static JdkEd25519Verifier rfcVerifier() throws Exception {
        return new JdkEd25519Verifier(Ed25519KeyCodec.publicKey(Rfc8037.privateKey()));
    }

    @Test
    void verifyWhenRfc8037ExampleThenValid() throws Exception {
        JWSObject jws = JWSObject.parse(Rfc8037.COMPACT_JWS);

        assertThat(jws.verify(rfcVerifier())).isTrue();
    }

    @Test
    void verifyWhenPayloadTamperedThenInvalid() throws Exception {
        String[] parts = Rfc8037.COMPACT_JWS.split("\\.");
        String tampered = parts[0] + "." + Base64URL.encode("Example of Ed25519 signinG") + "." + parts[2];

        assertThat(JWSObject.parse(tampered).verify(rfcVerifier())).isFalse();
    }

    @Test
    void verifyWhenSignedByAnotherKeyThenInvalid() throws Exception {
        var other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.EdDSA), new Payload(Rfc8037.PAYLOAD));
        jws.sign(new JdkEd25519Signer(other.getPrivate()));

        assertThat(jws.verify(rfcVerifier())).isFalse();
        assertThat(JWSObject.parse(jws.serialize()).verify(new JdkEd25519Verifier(other.getPublic()))).isTrue();
    }

    @Test
    void verifyWhenSignatureHasWrongLengthThenInvalid() throws Exception {
        byte[] input = "a.b".getBytes(StandardCharsets.UTF_8);

        assertThat(rfcVerifier().verify(new JWSHeader(JWSAlgorithm.EdDSA), input, Base64URL.encode(new byte[63]))).isFalse();
    }

    @Test
    void verifyWhenUnknownCriticalHeaderThenInvalid() throws Exception {
        // RFC 7515 §4.1.11: a "crit" extension the recipient does not understand makes the JWS invalid.
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).customParam("exp-ext", 1)
                .criticalParams(Set.of("exp-ext")).build();
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        JWSObject jws = new JWSObject(header, new Payload("x"));
        jws.sign(new JdkEd25519Signer(pair.getPrivate()));

        assertThat(jws.verify(new JdkEd25519Verifier(pair.getPublic()))).isFalse();
    }

    @Test
    void verifyWhenAlgorithmNotEdDsaThenRejected() {
        assertThatThrownBy(() -> rfcVerifier().verify(new JWSHeader(JWSAlgorithm.RS256), new byte[1], Base64URL.encode(new byte[64])))
                .isInstanceOf(JOSEException.class).hasMessageContaining("expected EdDSA");
    }
}
