package org.devicegrant.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeyTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void ofWhenKeyHasKidThenKeepsItAndAddsUseAndAlg() throws Exception {
        SigningKey key = SigningKey.of(TestKeys.EC, RANDOM);

        assertThat(key.keyId()).isEqualTo("ec-1");
        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(key.jwk().getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(key.jwk().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        byte[] input = "x".getBytes(StandardCharsets.UTF_8);
        Base64URL signature = key.signer().sign(new JWSHeader(JWSAlgorithm.ES256), input);
        assertThat(TestKeys.verifierFor(TestKeys.EC.toPublicJWK()).verify(new JWSHeader(JWSAlgorithm.ES256), input, signature)).isTrue();
    }

    @Test
    void ofWhenPrivateAndPublicPartsBelongToDifferentKeysThenRejected() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        ECKey mismatched = new ECKey.Builder(TestKeys.EC.toPublicJWK()).privateKey(other.toECPrivateKey()).build();

        assertThatThrownBy(() -> SigningKey.of(mismatched, RANDOM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signingKey: its private and public parts do not match");
    }

    @Test
    void ofWhenEcCurveIsNotP256ThenRejectedNamingTheCurve() throws Exception {
        ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();

        assertThatThrownBy(() -> SigningKey.of(p384, RANDOM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signingKey: an EC key must be on curve P-256 (ES256), got P-384");
    }

    @Test
    void ofWhenOkpCurveIsNotEd25519ThenRejected() {
        OctetKeyPair x25519 = new OctetKeyPair.Builder(Curve.X25519, Base64URL.encode(new byte[32]))
                .d(Base64URL.encode(new byte[32])).build();

        assertThatThrownBy(() -> SigningKey.of(x25519, RANDOM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signingKey: an OKP key must be on curve Ed25519 (EdDSA), got X25519");
    }

    @Test
    void ofWhenSymmetricKeyThenRejectedListingAllowedTypes() {
        OctetSequenceKey hmac = new OctetSequenceKey.Builder(new byte[32]).build();

        assertThatThrownBy(() -> SigningKey.of(hmac, RANDOM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signingKey must be RSA (RS256, at least 2048 bits), EC P-256 (ES256) or OKP Ed25519 (EdDSA), "
                        + "got key type oct");
    }

    @Test
    void ofWhenJwkDeclaresAnotherAlgorithmThenRejected() {
        RSAKey ps256 = new RSAKey.Builder(TestKeys.RSA).algorithm(JWSAlgorithm.PS256).build();

        assertThatThrownBy(() -> SigningKey.of(ps256, RANDOM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signingKey: its alg is PS256 but this key type signs with RS256");
    }

    @Test
    void ofWhenJwkIsForEncryptionThenRejected() {
        RSAKey enc = new RSAKey.Builder(TestKeys.RSA).keyUse(KeyUse.ENCRYPTION).build();

        assertThatThrownBy(() -> SigningKey.of(enc, RANDOM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signingKey: its use must be sig, got enc");
    }

    @Test
    void ofWhenNoKidThenRfc7638Thumbprint() {
        // RFC 8037 Appendix A.3: the thumbprint of the A.1 key.
        SigningKey key = SigningKey.of(Rfc8037.privateKey(), RANDOM);

        assertThat(key.keyId()).isEqualTo(Rfc8037.THUMBPRINT);
        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.EdDSA);
    }

    @Test
    void fromKeyPairWhenRsaThenPrivateRsaJwkWithKid() {
        KeyPair pair = TestKeys.jdkKeyPair("RSA", 2048);

        JWK jwk = SigningKey.fromKeyPair(pair, "rsa-9");

        assertThat(jwk).isInstanceOf(RSAKey.class);
        assertThat(jwk.isPrivate()).isTrue();
        assertThat(jwk.getKeyID()).isEqualTo("rsa-9");
        assertThat(SigningKey.of(jwk, RANDOM).algorithm()).isEqualTo(JWSAlgorithm.RS256);
    }

    @Test
    void fromKeyPairWhenEcP256ThenPrivateEcJwk() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();

        JWK jwk = SigningKey.fromKeyPair(pair, null);

        assertThat(((ECKey) jwk).toECPublicKey().getW()).isEqualTo(((ECPublicKey) pair.getPublic()).getW());
        assertThat(jwk.isPrivate()).isTrue();
    }

    @Test
    void fromKeyPairWhenEcP384ThenRejected() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair pair = generator.generateKeyPair();

        assertThatThrownBy(() -> SigningKey.fromKeyPair(pair, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signingKey: an EC key must be on curve P-256 (ES256), got P-384");
    }

    @Test
    void fromKeyPairWhenNoPrivateKeyThenRejected() {
        KeyPair publicOnly = new KeyPair(TestKeys.ED25519_PAIR.getPublic(), null);

        assertThatThrownBy(() -> SigningKey.fromKeyPair(publicOnly, "k")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signingKey must include its private part");
    }

    @Test
    void fromKeyPairWhenUnsupportedTypeThenRejectedListingAllowedTypes() throws Exception {
        KeyPair dsa = TestKeys.jdkKeyPair("DSA", 2048);

        assertThatThrownBy(() -> SigningKey.fromKeyPair(dsa, "k")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("signingKey must be RSA (RS256, at least 2048 bits), EC P-256 (ES256) or OKP Ed25519");
    }
}
