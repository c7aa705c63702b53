package org.devicegrant.token;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ed25519KeyCodecTest {

    @Test
    void toJwkWhenJdkKeyPairThenJdkKeysFromJwkSignAndVerifyAlike() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);

        OctetKeyPair jwk = Ed25519KeyCodec.toJwk(pair.getPublic(), pair.getPrivate());

        assertThat(jwk.getCurve()).isEqualTo(Curve.Ed25519);
        assertThat(jwk.isPrivate()).isTrue();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(Ed25519KeyCodec.privateKey(jwk));
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(pair.getPublic());
        verifier.update(message);
        assertThat(verifier.verify(signature)).isTrue();
        assertThat(Ed25519KeyCodec.publicKey(jwk).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void publicKeyWhenRfc8037KeyThenRawXIsTheLast32BytesOfTheEncoding() throws Exception {
        OctetKeyPair jwk = Rfc8037.privateKey();

        byte[] encoded = Ed25519KeyCodec.publicKey(jwk).getEncoded();

        assertThat(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)).isEqualTo(jwk.getDecodedX());
    }

    @Test
    void privateKeyWhenNoPrivatePartThenRejected() {
        OctetKeyPair publicOnly = Rfc8037.privateKey().toPublicJWK();

        assertThatThrownBy(() -> Ed25519KeyCodec.privateKey(publicOnly))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no private part");
    }

    @Test
    void publicKeyWhenWrongLengthThenRejected() {
        OctetKeyPair shortKey = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(new byte[31])).build();

        assertThatThrownBy(() -> Ed25519KeyCodec.publicKey(shortKey))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 32 bytes, got 31");
    }

    @Test
    void toJwkWhenEd448ThenRejected() throws Exception {
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();

        assertThatThrownBy(() -> Ed25519KeyCodec.toJwk(ed448.getPublic(), ed448.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an Ed25519 key");
    }
}
