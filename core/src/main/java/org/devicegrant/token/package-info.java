/**
 * Token issuance for the device grant: the {@link org.devicegrant.token.TokenIssuer} SPI the grant
 * calls once an approved authorization is consumed, its input {@link org.devicegrant.token.TokenIssuanceRequest}
 * and output {@link org.devicegrant.token.IssuedTokens}, and the default
 * {@link org.devicegrant.token.JwtTokenIssuer} (RFC 9068 access tokens, OpenID Connect ID tokens).
 */
package org.devicegrant.token;
