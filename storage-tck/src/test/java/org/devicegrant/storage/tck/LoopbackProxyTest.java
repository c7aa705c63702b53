package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoopbackProxyTest {

    private ServerSocket echoServer;
    private final ExecutorService echoThreads = Executors.newCachedThreadPool();
    private LoopbackProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echoServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThreads.execute(this::echo);
        proxy = new LoopbackProxy("127.0.0.1", echoServer.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        echoServer.close();
        echoThreads.shutdownNow();
        assertThat(echoThreads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void exchangeWhenForwardingThenEchoedAndOneRoundTripEach() throws IOException {
        try (Socket socket = connect()) {
            long before = proxy.roundTrips();
            assertThat(exchange(socket, "ping")).isEqualTo("ping");
            assertThat(exchange(socket, "pong")).isEqualTo("pong");
            assertThat(proxy.roundTrips() - before).isEqualTo(2);
            assertThat(proxy.openSockets()).isEqualTo(2);
        }
    }

    @Test
    void cutWhenConnectedThenConnectionClosedAndNewOnesRefusedUntilRestore() throws IOException {
        try (Socket socket = connect()) {
            assertThat(exchange(socket, "a")).isEqualTo("a");
            proxy.cut();
            assertThatThrownBy(() -> exchange(socket, "b")).isInstanceOf(IOException.class);
        }
        try (Socket refused = connect()) {
            assertThatThrownBy(() -> exchange(refused, "c")).isInstanceOf(IOException.class);
        }
        proxy.restore();
        try (Socket again = connect()) {
            assertThat(exchange(again, "d")).isEqualTo("d");
        }
    }

    @Test
    void holdRequestsAfterWhenChunksUsedThenNextChunkWithheldUntilRestore() throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Socket socket = connect()) {
            proxy.holdRequestsAfter(1);
            assertThat(exchange(socket, "a")).isEqualTo("a");
            Future<String> held = caller.submit(() -> exchange(socket, "b"));
            assertThat(proxy.awaitHeldChunk(Duration.ofSeconds(5))).isTrue();
            assertThat(held).isNotDone();
            proxy.restore();
            assertThat(held.get(5, TimeUnit.SECONDS)).isEqualTo("b");
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void holdResponsesWhenCutThenCallerSeesClosedConnection() throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Socket socket = connect()) {
            proxy.holdResponses();
            Future<String> held = caller.submit(() -> exchange(socket, "a"));
            assertThat(proxy.awaitHeldChunk(Duration.ofSeconds(5))).isTrue();
            proxy.cut();
            assertThatThrownBy(() -> held.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void awaitHeldChunkWhenNothingHeldThenFalseAfterTimeout() throws InterruptedException {
        assertThat(proxy.awaitHeldChunk(Duration.ofMillis(20))).isFalse();
    }

    @Test
    void constructorWhenPortOutOfRangeThenRejectedNamingIt() {
        assertThatThrownBy(() -> new LoopbackProxy("127.0.0.1", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("targetPort");
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Sends {@code text} and reads as many bytes back; EOF is an IOException. */
    private static String exchange(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] reply = new byte[text.length()];
        int read = 0;
        while (read < reply.length) {
            int n = in.read(reply, read, reply.length - read);
            if (n < 0) {
                throw new IOException("connection closed");
            }
            read += n;
        }
        return new String(reply, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void echo() {
        while (!echoServer.isClosed()) {
            Socket socket;
            try {
                socket = echoServer.accept();
            } catch (IOException closed) {
                return;
            }
            echoThreads.execute(() -> {
                try (Socket s = socket; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    byte[] buffer = new byte[1024];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException gone) {
                    // the test closed it
                }
            });
        }
    }
}
