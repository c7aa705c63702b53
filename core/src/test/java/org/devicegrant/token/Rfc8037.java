package org.devicegrant.token;

import com.nimbusds.jose.jwk.OctetKeyPair;

import java.text.ParseException;

/** The Ed25519 example of RFC 8037 Appendix A (A.1 key, A.3 thumbprint, A.4 signature). */
final class Rfc8037 {

    static final String PRIVATE_JWK = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
            + "\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\","
            + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
    static final String THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";
    static final String COMPACT_JWS = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
            + "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
    static final String PAYLOAD = "Example of Ed25519 signing";

    private Rfc8037() {
    }

    static OctetKeyPair privateKey() {
        try {
            return OctetKeyPair.parse(PRIVATE_JWK);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
