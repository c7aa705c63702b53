package org.devicegrant.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A browser at another loopback address than {@code 127.0.0.1} (Linux routes all of
 * {@code 127.0.0.0/8} to the loopback interface), for tests where a second source address must
 * be served: raw HTTP/1.1 over a socket bound to that address, one request per connection,
 * keeping the session cookie. The JDK 17 {@code HttpClient} cannot choose its local address.
 */
final class BrowserAtAddress {

    /** One response: its status, its headers in arrival order (names lower-cased) and its body. */
    record Response(int status, List<String[]> headers, String body) {

        Optional<String> header(String name) {
            return headers.stream().filter(h -> h[0].equals(name.toLowerCase(Locale.ROOT))).map(h -> h[1]).findFirst();
        }
    }

    private static final int TIMEOUT_MILLIS = 10_000;

    private final InetAddress local;
    private final int port;
    private String cookie;

    /**
     * @param localAddress e.g. {@code 127.0.0.2}
     * @param port         the demo server's port on {@code 127.0.0.1}
     */
    BrowserAtAddress(String localAddress, int port) {
        try {
            this.local = InetAddress.getByName(localAddress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.port = port;
    }

    Response get(String path) {
        return exchange("GET " + path + " HTTP/1.1\r\n", "");
    }

    Response post(String path, String... nameValuePairs) {
        String body = DemoHttp.form(nameValuePairs);
        return exchange("POST " + path + " HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n", body);
    }

    /** Signs in through the login form of the pages at {@code pages}. */
    Response signIn(String pages, String username, String password) {
        Response login = get(pages + "/login");
        return post(pages + "/login", "csrf", DemoHttp.hidden(login.body(), VerificationPages.CSRF),
                "username", username, "password", password);
    }

    private Response exchange(String head, String body) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), TIMEOUT_MILLIS);
            String request = head + "Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
                    + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "\r\n" + body;
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no complete response: " + raw);
        }
        String[] lines = raw.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            headers.add(new String[] {name, value});
            if (name.equals("set-cookie") && value.startsWith(Sessions.COOKIE + "=")) {
                cookie = value.substring(0, value.indexOf(';'));
            }
        }
        return new Response(status, headers, raw.substring(end + 4));
    }
}
