package org.devicegrant.device;

/** Which kind of token {@link DeviceFlowClient#revoke(String, TokenTypeHint)} revokes (RFC 7009 §2.1). */
public enum TokenTypeHint {
    /** An access token: {@code token_type_hint=access_token}. */
    ACCESS_TOKEN("access_token"),
    /** A refresh token: {@code token_type_hint=refresh_token}. */
    REFRESH_TOKEN("refresh_token");

    private final String wire;

    TokenTypeHint(String wire) {
        this.wire = wire;
    }

    /** The value of {@code token_type_hint} (RFC 7009 §4.1.2). */
    public String wire() {
        return wire;
    }
}
