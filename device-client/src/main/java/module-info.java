/**
 * The device side of RFC 8628: request codes, show them, poll by the RFC's rules, cancel; then
 * refresh (RFC 6749 §6), revoke (RFC 7009) and cache the tokens.
 */
module org.devicegrant.device {
    requires transitive oauth2.oidc.sdk;
    requires java.net.http;
    requires org.slf4j;

    exports org.devicegrant.device;
}
