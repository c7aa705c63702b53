package org.devicegrant.internal;

import org.devicegrant.TestGrants;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import org.devicegrant.http.DeviceGrantResponse;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.form;

/** What {@link Json} writes, Nimbus parses back into the same values. */
class JsonTest {

    @Test
    void deviceAuthorizationResponseParsesWithNimbus() throws Exception {
        TestGrants t = new TestGrants();
        DeviceGrantResponse response = t.grant().deviceAuthorization(form("client_id", "tv"));
        HTTPResponse http = new HTTPResponse(response.status());
        http.setContentType(response.contentType().orElseThrow());
        http.setBody(response.body());

        DeviceAuthorizationSuccessResponse parsed = DeviceAuthorizationResponse.parse(http).toSuccessResponse();

        assertThat(parsed.getVerificationURI()).isEqualTo(URI.create("https://id.example.com/device"));
        assertThat(parsed.getVerificationURIComplete().toString())
                .isEqualTo("https://id.example.com/device?user_code=" + parsed.getUserCode().getValue());
        assertThat(parsed.getLifetime()).isEqualTo(600);
        assertThat(parsed.getInterval()).isEqualTo(5);
        assertThat(parsed.getDeviceCode().getValue()).hasSize(43);
    }

    @Test
    void errorsParseWithNimbus() throws Exception {
        ErrorObject error = TokenErrorResponse.parse(JSONObjectUtils.parse(Json.object(
                "error", "invalid_request", "error_description", "The parameter a is repeated"))).getErrorObject();
        assertThat(error.getCode()).isEqualTo("invalid_request");
        assertThat(error.getDescription()).isEqualTo("The parameter a is repeated");
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() throws Exception {
        String tricky = "a\"b\\c\nd\u0001e\u00e9\u2028";
        assertThat(JSONObjectUtils.parse(Json.object("k", tricky)).get("k")).isEqualTo(tricky);
        assertThat(Json.object("n", 5L, "skipped", null, "s", "x")).isEqualTo("{\"n\":5,\"s\":\"x\"}");
    }
}
