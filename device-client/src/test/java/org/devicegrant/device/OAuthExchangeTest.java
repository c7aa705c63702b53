package org.devicegrant.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OAuthExchangeTest {

    static final URI TOKEN_ENDPOINT = URI.create("https://as.example/token");

    private final ScriptedTransport transport = new ScriptedTransport(new FakeClock(Instant.EPOCH));

    private static HTTPRequest formPost() {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, TOKEN_ENDPOINT);
        request.setHeader("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        request.setBody("grant_type=x");
        return request;
    }

    @Test
    void sendWhenRequestThenBodyHeadersAndAcceptJsonReachTheTransport() throws Exception {
        transport.then(ScriptedTransport.json(200, "{}"));

        new OAuthExchange(transport).send(formPost());

        ScriptedTransport.Sent sent = transport.sent().get(0);
        assertThat(sent.uri()).isEqualTo(TOKEN_ENDPOINT);
        assertThat(sent.body()).isEqualTo("grant_type=x");
        assertThat(sent.headers()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Content-Type", "application/x-www-form-urlencoded; charset=UTF-8", "Accept", "application/json"));
    }

    @Test
    void sendWhenAnswerHasLowerCaseHeadersThenNimbusResponseSeesThem() throws Exception {
        transport.then(new HttpResult(400, Map.of("content-type", List.of("application/json"),
                "cache-control", List.of("no-store")), "{\"error\":\"slow_down\"}"));

        HTTPResponse response = new OAuthExchange(transport).send(formPost());

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaderValue("Content-Type")).isEqualTo("application/json");
        assertThat(response.getBodyAsJSONObject()).containsEntry("error", "slow_down");
    }

    @Test
    void sendWhenTransportReturnsNullThenNullPointerExceptionNamingIt() {
        HttpTransport broken = (uri, headers, body) -> null;

        assertThatNullPointerException().isThrownBy(() -> new OAuthExchange(broken).send(formPost()))
                .withMessageContaining("HttpTransport returned null");
    }
}
