package org.devicegrant.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.devicegrant.DecisionResult;
import org.devicegrant.DeviceGrant;
import org.devicegrant.LookupResult;
import org.devicegrant.http.DeviceGrantResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * One full device grant through our public API, as a host and a device would run it: device
 * authorization request, user-code lookup for the consent screen, approval, one token poll.
 * Every step is checked, so that a benchmark of it can never time a failure.
 */
final class Cycle {

    static final String SUBJECT = "alice";
    static final Set<String> GRANTED = Set.of("profile", "email");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Cycle() {
    }

    /** The device's view of a device authorization response. */
    record Codes(String deviceCode, String userCode) {
    }

    static Codes authorize(DeviceGrant grant) {
        DeviceGrantResponse response = grant.deviceAuthorization(Wiring.deviceAuthorizationRequest());
        JsonNode body = json(response, 200);
        return new Codes(body.get("device_code").asText(), body.get("user_code").asText());
    }

    /**
     * Runs the cycle and returns the token response.
     *
     * @throws IllegalStateException a step did not give the outcome a working grant gives
     */
    static DeviceGrantResponse run(DeviceGrant grant, Clock clock, String attemptKey) {
        Codes codes = authorize(grant);
        LookupResult lookup = grant.verification().lookup(Wiring.TENANT, codes.userCode(), attemptKey);
        if (!(lookup instanceof LookupResult.Pending)) {
            throw new IllegalStateException("lookup gave " + lookup.getClass().getSimpleName());
        }
        DecisionResult decision = grant.verification().approve(Wiring.TENANT, codes.userCode(), SUBJECT, GRANTED,
                Map.of(), clock.instant());
        if (!(decision instanceof DecisionResult.Recorded)) {
            throw new IllegalStateException("approval gave " + decision.getClass().getSimpleName());
        }
        DeviceGrantResponse tokens = grant.token(Wiring.pollRequest(codes.deviceCode()));
        if (tokens.status() != 200) {
            throw new IllegalStateException("the poll after approval gave HTTP " + tokens.status());
        }
        return tokens;
    }

    /** The access token of a token response. */
    static String accessToken(DeviceGrantResponse tokens) {
        return json(tokens, 200).get("access_token").asText();
    }

    static String error(DeviceGrantResponse response) {
        JsonNode error = json(response, response.status()).get("error");
        return error == null ? null : error.asText();
    }

    private static JsonNode json(DeviceGrantResponse response, int expectedStatus) {
        if (response.status() != expectedStatus) {
            throw new IllegalStateException("expected HTTP " + expectedStatus + ", got " + response.status());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("the response is not JSON", e);
        }
    }
}
