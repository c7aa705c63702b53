/**
 * The device authorization grant engine. Exported: {@code org.devicegrant} (the grant, its
 * settings, results and hooks), {@code .clientauth} (client registration), {@code .code} (user-code
 * formats and hashing), {@code .token} (token issuance), {@code .http} (the framework-neutral
 * request and response an adapter maps) and {@code .qr}. The endpoints, the state machine,
 * settings resolution, request parsing and the wire format live in {@code org.devicegrant.internal},
 * which is not exported.
 */
module org.devicegrant {
    requires transitive org.devicegrant.storage;
    requires transitive oauth2.oidc.sdk;
    requires transitive com.nimbusds.jose.jwt;
    requires com.fasterxml.jackson.databind;
    requires com.google.zxing;
    requires java.desktop;
    requires org.slf4j;

    exports org.devicegrant;
    exports org.devicegrant.clientauth;
    exports org.devicegrant.code;
    exports org.devicegrant.http;
    exports org.devicegrant.qr;
    exports org.devicegrant.token;
}
