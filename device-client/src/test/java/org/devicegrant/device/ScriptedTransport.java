package org.devicegrant.device;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A transport that answers from a script and records every request with the clock's time. */
final class ScriptedTransport implements HttpTransport {

    /** One request as sent. */
    record Sent(URI uri, Map<String, String> headers, String body, Instant at) {

        Map<String, String> form() {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            return form;
        }
    }

    @FunctionalInterface
    interface Answer {
        HttpResult answer() throws IOException;
    }

    private final Clock clock;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Sent> sent = new ArrayList<>();

    ScriptedTransport(Clock clock) {
        this.clock = clock;
    }

    static HttpResult json(int status, String body) {
        return new HttpResult(status, Map.of("Content-Type", List.of("application/json;charset=UTF-8")), body);
    }

    static HttpResult oauthError(String error) {
        return json(400, "{\"error\":\"" + error + "\"}");
    }

    static HttpResult oauthError(String error, String description) {
        return json(400, "{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
    }

    ScriptedTransport then(HttpResult result) {
        script.add(() -> result);
        return this;
    }

    ScriptedTransport then(HttpResult result, int times) {
        for (int i = 0; i < times; i++) {
            then(result);
        }
        return this;
    }

    ScriptedTransport thenFail(IOException failure) {
        script.add(() -> {
            throw failure;
        });
        return this;
    }

    ScriptedTransport then(Answer answer) {
        script.add(answer);
        return this;
    }

    List<Sent> sent() {
        return sent;
    }

    @Override
    public HttpResult post(URI uri, Map<String, String> headers, String formBody) throws IOException {
        sent.add(new Sent(uri, Map.copyOf(headers), formBody, clock.instant()));
        if (script.isEmpty()) {
            throw new AssertionError("unexpected request #" + sent.size() + " to " + uri);
        }
        return script.poll().answer();
    }
}
