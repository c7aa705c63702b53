package org.devicegrant.examples;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the verification pages: one HTML layout, HTML escaping, and the headers every
 * user-facing response carries, errors included. Stateless.
 */
final class Pages {

    /**
     * RFC 6749 §10.13 / RFC 9700 §4.16: the pages MUST NOT be framed; nothing is
     * loaded from elsewhere, so scripts, styles and images come from this origin only.
     */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    static final String STYLE = """
            body { font-family: system-ui, sans-serif; max-width: 34rem; margin: 2rem auto; padding: 0 1rem; \
            line-height: 1.5; color: #1b1b1b; }
            h1 { font-size: 1.5rem; }
            .code { font-family: ui-monospace, monospace; font-size: 2rem; letter-spacing: .15em; \
            border: 2px solid #1b1b1b; display: inline-block; padding: .2rem .8rem; margin: .3rem 0; }
            .message { border-left: 4px solid #b00020; padding: .3rem .8rem; background: #fdecee; }
            .warning { border-left: 4px solid #8a6d00; padding: .3rem .8rem; background: #fff8e1; }
            label { display: block; margin: .5rem 0; }
            input[type=text], input[type=password] { font-size: 1.2rem; padding: .3rem; width: 100%; \
            box-sizing: border-box; }
            .buttons { display: flex; gap: 1rem; margin-top: 1rem; }
            .buttons button, button { font-size: 1.1rem; padding: .6rem 1.4rem; min-width: 9rem; \
            border: 2px solid #1b1b1b; background: #ffffff; color: #1b1b1b; cursor: pointer; }
            dt { font-weight: bold; }
            """;

    private Pages() {
    }

    /** Escapes text for an HTML element or a double-quoted attribute. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Sends a page in the common layout; {@code title} is escaped here, {@code bodyHtml} must be escaped already. */
    static void html(HttpExchange exchange, int status, String title, String bodyHtml) throws IOException {
        String page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title) + " · devicegrant demo</title>\n"
                + "<link rel=\"stylesheet\" href=\"/device/style.css\">\n</head>\n<body>\n<main>\n"
                + bodyHtml
                + "\n</main>\n</body>\n</html>\n";
        send(exchange, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    /** A page that says one thing, linking to {@code /device}; {@code message} is escaped here. */
    static void message(HttpExchange exchange, int status, String title, String message) throws IOException {
        message(exchange, status, title, message, "/device");
    }

    /** A page that says one thing, linking to the code entry page {@code entryPath}; everything is escaped here. */
    static void message(HttpExchange exchange, int status, String title, String message, String entryPath)
            throws IOException {
        html(exchange, status, title, "<h1>" + escape(title) + "</h1>\n<p>" + escape(message) + "</p>\n"
                + "<p><a href=\"" + escape(entryPath) + "\">Enter a code</a></p>");
    }

    /** 303 See Other to a path of this server. */
    static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        send(exchange, 303, "text/plain; charset=utf-8", new byte[0]);
    }

    /** Sends a body with the security headers every page carries: no framing, no referrer, no caching. */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("X-Frame-Options", "DENY");
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        // RFC 9700 §4.2: verification_uri_complete carries the user code; never send it on as a Referer
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }
}
