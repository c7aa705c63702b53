package org.devicegrant.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdkEd25519SignerTest {

    @Test
    void signWhenRfc8037ExampleThenSameSignatureAsAppendixA4() throws Exception {
        // RFC 8037 Appendix A.4: Ed25519 is deterministic, so the example signature is reproducible.
        JdkEd25519Signer signer = new JdkEd25519Signer(Ed25519KeyCodec.privateKey(Rfc8037.privateKey()));
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.EdDSA), new Payload(Rfc8037.PAYLOAD));

        jws.sign(signer);

        assertThat(jws.serialize()).isEqualTo(Rfc8037.COMPACT_JWS);
    }

    @Test
    void signWhenAlgorithmNotEdDsaThenRejected() throws Exception {
        JdkEd25519Signer signer = new JdkEd25519Signer(Ed25519KeyCodec.privateKey(Rfc8037.privateKey()));

        assertThatThrownBy(() -> signer.sign(new JWSHeader(JWSAlgorithm.ES256), "x".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JOSEException.class).hasMessageContaining("expected EdDSA");
        assertThat(signer.supportedJWSAlgorithms()).containsExactly(JWSAlgorithm.EdDSA);
    }
}
