package org.devicegrant.token;

/**
 * Turns an approved, consumed device authorization into tokens. The grant calls it at most
 * once per authorization, after the authorization has moved to {@code CONSUMED}.
 *
 * <p>Implementations are thread-safe. Failure is any {@link RuntimeException}, normally a
 * {@link TokenIssuanceException}; the grant then answers {@code server_error} and the
 * authorization stays consumed. Implementations never put a token in an exception message or
 * a log line.
 */
@FunctionalInterface
public interface TokenIssuer {

    /**
     * Issues tokens for {@code request}.
     *
     * @param request the consumed authorization, never null
     * @return the tokens, never null
     * @throws TokenIssuanceException the tokens could not be issued
     */
    IssuedTokens issue(TokenIssuanceRequest request);
}
