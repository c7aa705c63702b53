package org.devicegrant.http.tck;

import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.http.RequestBody;
import org.devicegrant.http.ResponseContent;
import org.devicegrant.http.TenantResolver;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The smallest adapter the kit's own tests need: HTTP/1.1 over a {@link ServerSocket}, one
 * request per connection, {@code Content-Length} bodies only. Without a flaw it follows every
 * rule of the contract; each {@link Flaw} breaks exactly one, as an adapter might by mistake.
 */
final class ReferenceAdapter implements AutoCloseable {

    /** One way an adapter goes wrong. */
    enum Flaw {
        NONE,
        /** Reads every byte {@code Content-Length} announces. */
        READS_WHOLE_BODY,
        /** Passes on at most {@code MAX_BODY_BYTES}, so an oversized body looks well-formed. */
        CUTS_BODY_AT_MAX,
        /** Sends the body in the response to HEAD as well. */
        CONTENT_FOR_HEAD,
        /** Takes the client's address from {@code X-Forwarded-For}. */
        TRUSTS_FORWARDED_FOR,
        /** Serves an endpoint at every path that starts with its path, as a JDK server context does. */
        MATCHES_PATH_PREFIX
    }

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Function<DeviceGrantRequest, DeviceGrantResponse>> endpoints;
    private final TenantResolver tenants;
    private final Flaw flaw;

    private ReferenceAdapter(Map<String, Function<DeviceGrantRequest, DeviceGrantResponse>> endpoints,
            TenantResolver tenants, Flaw flaw) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.endpoints = Map.copyOf(endpoints);
        this.tenants = tenants;
        this.flaw = flaw;
    }

    /** Listens on 127.0.0.1 at an ephemeral port, each endpoint at its path. */
    static ReferenceAdapter start(Map<String, Function<DeviceGrantRequest, DeviceGrantResponse>> endpoints,
            TenantResolver tenants, Flaw flaw) throws IOException {
        ReferenceAdapter adapter = new ReferenceAdapter(endpoints, tenants, flaw);
        adapter.threads.execute(adapter::accept);
        return adapter;
    }

    int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket connection = listener.accept();
                threads.execute(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            String[] requestLine = line(in).split(" ");
            String method = requestLine[0];
            String path = requestLine[1];
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.computeIfAbsent(header.substring(0, colon).trim(), name -> new ArrayList<>())
                        .add(header.substring(colon + 1).trim());
            }
            DeviceGrantResponse response = respond(method, path, headers, in, connection);
            write(response, method, connection.getOutputStream());
            connection.shutdownOutput();
            // discard what the client still sends, so that closing does not reset the connection
            connection.setSoTimeout(2_000);
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException clientGone) {
            // nothing to answer
        }
    }

    private DeviceGrantResponse respond(String method, String path, Map<String, List<String>> headers,
            InputStream in, Socket connection) throws IOException {
        Function<DeviceGrantRequest, DeviceGrantResponse> endpoint = flaw == Flaw.MATCHES_PATH_PREFIX
                ? longestPrefixOf(path) : endpoints.get(path);
        if (endpoint == null) {
            return new DeviceGrantResponse(404, Map.of(), "");
        }
        String tenant = tenants.tenant(path, first(headers, "Host"), name -> first(headers, name));
        if (tenant == null) {
            return TenantResolver.UNKNOWN_TENANT;
        }
        DeviceGrantRequest.Builder request = DeviceGrantRequest.builder()
                .method(method)
                .remoteAddress(flaw == Flaw.TRUSTS_FORWARDED_FOR && headers.containsKey("X-Forwarded-For")
                        ? first(headers, "X-Forwarded-For") : connection.getInetAddress().getHostAddress())
                .tenant(tenant);
        headers.forEach((name, values) -> values.forEach(value -> request.header(name, value)));
        int length = headers.containsKey("Content-Length") ? Integer.parseInt(first(headers, "Content-Length")) : 0;
        request.body(switch (flaw) {
            case READS_WHOLE_BODY -> in.readNBytes(length);
            case CUTS_BODY_AT_MAX -> in.readNBytes(Math.min(length, DeviceGrantRequest.MAX_BODY_BYTES));
            default -> RequestBody.read(limited(in, length));
        });
        return endpoint.apply(request.build());
    }

    private Function<DeviceGrantRequest, DeviceGrantResponse> longestPrefixOf(String path) {
        return endpoints.keySet().stream().filter(path::startsWith).max(Comparator.comparingInt(String::length))
                .map(endpoints::get).orElse(null);
    }

    private void write(DeviceGrantResponse response, String method, OutputStream out) throws IOException {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status()).append(" \r\n");
        response.headers().forEach((name, values) ->
                values.forEach(value -> head.append(name).append(": ").append(value).append("\r\n")));
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (flaw == Flaw.CONTENT_FOR_HEAD || ResponseContent.allowed(method)) {
            out.write(body);
        }
        out.flush();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null ? null : values.get(0);
    }

    /** One line of the request head, without its CRLF. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the request head");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** The first {@code length} bytes of {@code in}: the body, and nothing of the stream after it. */
    private static InputStream limited(InputStream in, int length) {
        return new InputStream() {
            private int left = length;

            @Override
            public int read() throws IOException {
                if (left == 0) {
                    return -1;
                }
                int b = in.read();
                left = b < 0 ? 0 : left - 1;
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = in.read(buffer, offset, Math.min(count, left));
                left = n < 0 ? 0 : left - n;
                return n;
            }
        };
    }
}
