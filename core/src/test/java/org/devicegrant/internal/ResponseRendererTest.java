package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.token.IssuedTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one renderer: every result's status, headers and body. */
class ResponseRendererTest {

    @ParameterizedTest(name = "{0}, Authorization header used: {1} -> {2}")
    @CsvSource({
            "invalid_client, true, 401",
            "invalid_client, false, 400",
            "invalid_request, true, 400",
            "unauthorized_client, true, 400",
            "invalid_scope, false, 400"})
    void rejectedWhenInvalidClientAfterAuthorizationHeaderThen401WithBasicChallengeElse400(String code,
            boolean usedAuthorizationHeader, int status) {
        // RFC 6749 §5.2: invalid_client after the Authorization header MUST be 401 with a WWW-Authenticate
        // header matching the scheme the client used; every other case 400. The status a client
        // authentication failure carries in from Nimbus decides nothing.
        ErrorObject error = new ErrorObject(code, "Client authentication failed", 401);

        DeviceGrantResponse response = ResponseRenderer.render(new Rejected(error, usedAuthorizationHeader));

        assertThat(response.status()).isEqualTo(status);
        if (status == 401) {
            assertThat(response.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic "));
        } else {
            assertThat(response.header("WWW-Authenticate")).isEmpty();
        }
        assertThat(parseError(response).getCode()).isEqualTo(code);
    }

    @Test
    void failuresWhoseErrorNeverVariesAreRenderedOnce() {
        // the hot path: most polls are answered with one of these, never rendered again
        assertThat(ResponseRenderer.render(new PollResult.Pending("a1")))
                .isSameAs(ResponseRenderer.render(new PollResult.Pending("a2")));
        assertThat(ResponseRenderer.render(new PollResult.WrongClient("a1", true)))
                .as("an other client's code is answered like an unknown one")
                .isSameAs(ResponseRenderer.render(new PollResult.UnknownCode()));
        assertThat(ResponseRenderer.render(Rejected.SERVER_ERROR)).isSameAs(
                ResponseRenderer.render(new PollResult.IssuanceFailed("a1", true)));
    }

    @Test
    void slowDownTellsTheIntervalNowInForce() throws Exception {
        DeviceGrantResponse response = ResponseRenderer.render(new PollResult.SlowDown("a1", Duration.ofSeconds(15)));
        assertThat(response.status()).isEqualTo(400);
        ErrorObject error = parseError(response);
        assertThat(error.getCode()).isEqualTo("slow_down");
        assertThat(error.getDescription()).contains("15 seconds");
    }

    @Test
    void pendingCapReachedIs429SlowDownWithAClearDescription() {
        for (DeviceAuthorizationResult.TooManyPending cap : DeviceAuthorizationResult.TooManyPending.values()) {
            DeviceGrantResponse response = ResponseRenderer.render(cap);
            assertThat(response.status()).isEqualTo(429);
            ErrorObject error = parseError(response);
            assertThat(error.getCode()).isEqualTo("slow_down");
            assertThat(error.getDescription()).startsWith("Too many device authorizations are pending")
                    .endsWith("; try again later");
        }
    }

    @Test
    void errorsOfOtherStatusesBecome400AndAWrongMethod405WithAllow() {
        // RFC 6749 §5.2: "HTTP 400 (Bad Request) status code (unless specified otherwise)"
        assertThat(ResponseRenderer.render(new PollResult.Denied("a1")).status())
                .as("Nimbus gives access_denied 403").isEqualTo(400);
        DeviceGrantResponse wrongMethod = ResponseRenderer.render(
                new Rejected(OAuth2Error.INVALID_REQUEST.setDescription("Use the POST method").setHTTPStatusCode(405)));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).hasValue("POST");
    }

    @ParameterizedTest
    @CsvSource({"Bearer, Bearer", "bearer, Bearer", "DPoP, DPoP", "dpop, DPoP"})
    void tokensWhenIssuerSaysATokenTypeThenThatTypeInNimbusSpelling(String issued, String written) throws Exception {
        // RFC 6749 §5.1: token_type is case insensitive; RFC 9449 §5: DPoP-bound tokens are of type DPoP
        DeviceGrantResponse response = ResponseRenderer.render(
                new PollResult.Issued("a1", tokens(issued)));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.header("Pragma")).hasValue("no-cache");
        HTTPResponse http = new HTTPResponse(200);
        http.setContentType(response.contentType().orElseThrow());
        http.setBody(response.body());
        assertThat(TokenResponse.parse(http).toSuccessResponse().getTokens().getAccessToken().getType())
                .isEqualTo(new AccessTokenType(written));
        assertThat(response.body()).contains("\"token_type\":\"" + written + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mac", "N_A", "Bearer2"})
    void tokensOfATypeThisServerCannotSendAreRefusedBeforeAnythingIsWritten(String tokenType) {
        assertThatThrownBy(() -> new PollResult.Issued("a1", tokens(tokenType)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(tokenType);
    }

    @Test
    void issuedCodesNeverShowInToString() {
        DeviceAuthorizationResult.Issued issued = new DeviceAuthorizationResult.Issued("a1", "device-code-x7",
                "BCDF-GHJK", "https://id.example.com/device", "https://id.example.com/device?user_code=BCDF-GHJK",
                Duration.ofMinutes(10), Duration.ofSeconds(5), false);
        assertThat(issued.toString()).doesNotContain("device-code-x7").doesNotContain("BCDF-GHJK");
    }

    private static IssuedTokens tokens(String tokenType) {
        return new IssuedTokens("access-x", tokenType, Duration.ofMinutes(5), null, null, Set.of("openid"));
    }

    private static ErrorObject parseError(DeviceGrantResponse response) {
        try {
            HTTPResponse http = new HTTPResponse(response.status());
            http.setContentType(response.contentType().orElseThrow());
            http.setBody(response.body());
            return TokenErrorResponse.parse(http).getErrorObject();
        } catch (Exception e) {
            throw new AssertionError("not an RFC 6749 §5.2 error: " + response.body(), e);
        }
    }
}
