package org.devicegrant.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy for fault tests: listens on 127.0.0.1 and forwards every connection
 * to 127.0.0.1:{@code targetPort} with two copy threads. It can withhold the bytes of one
 * direction after a given number of chunks, {@link #cut()} every connection and refuse new
 * ones, and {@link #restore()}. Every wait is bounded. Traffic goes only to 127.0.0.1.
 */
final class TcpProxy implements AutoCloseable {

    private static final long MAX_HOLD_MILLIS = 30_000;

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object monitor = new Object();
    private volatile boolean refusing;
    /** Chunks of each direction still let through before holding; -1: never hold. */
    private int requestAllowance = -1;
    private int responseAllowance = -1;
    private int heldChunks;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Withholds client-to-server bytes after {@code chunks} more chunks have passed. */
    void holdRequestsAfter(int chunks) {
        synchronized (monitor) {
            requestAllowance = chunks;
            heldChunks = 0;
        }
    }

    /** Withholds server-to-client bytes from now on. */
    void holdResponses() {
        synchronized (monitor) {
            responseAllowance = 0;
            heldChunks = 0;
        }
    }

    /** True once a chunk is being withheld; waits at most {@code millis}. */
    boolean awaitHeldChunk(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (monitor) {
            while (heldChunks == 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                monitor.wait(left);
            }
            return true;
        }
    }

    /** Closes every connection, dropping withheld bytes, and refuses new connections. */
    void cut() {
        refusing = true;
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /** Accepts and forwards again, withholding nothing. */
    void restore() {
        synchronized (monitor) {
            requestAllowance = -1;
            responseAllowance = -1;
            heldChunks = 0;
            monitor.notifyAll();
        }
        refusing = false;
    }

    @Override
    public void close() {
        cut();
        closeQuietly(server);
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            start(client, upstream, true);
            start(upstream, client, false);
        }
    }

    private void start(Socket from, Socket to, boolean requests) {
        Thread pump = new Thread(() -> pump(from, to, requests), "tcp-proxy-" + (requests ? "request" : "response"));
        pump.setDaemon(true);
        pump.start();
    }

    private void pump(Socket from, Socket to, boolean requests) {
        byte[] buffer = new byte[16_384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (!mayPass(requests, from, to)) {
                    break;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the connection is gone; both ends are closed below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    /** False when the chunk must be dropped because the connection was cut while holding it. */
    private boolean mayPass(boolean requests, Socket from, Socket to) throws InterruptedException {
        synchronized (monitor) {
            int allowance = requests ? requestAllowance : responseAllowance;
            if (allowance > 0) {
                if (requests) {
                    requestAllowance--;
                } else {
                    responseAllowance--;
                }
                return true;
            }
            if (allowance < 0) {
                return true;
            }
            heldChunks++;
            monitor.notifyAll();
            long deadline = System.nanoTime() + MAX_HOLD_MILLIS * 1_000_000;
            while ((requests ? requestAllowance : responseAllowance) == 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (from.isClosed() || to.isClosed() || left <= 0) {
                    return false;
                }
                monitor.wait(Math.min(left, 100));
            }
            return !from.isClosed() && !to.isClosed();
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
