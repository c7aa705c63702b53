package org.devicegrant.storage.tck;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy for outage tests of a store: it listens on an ephemeral port of the loopback
 * interface and forwards every connection to one target, so that a store's client can be
 * pointed at {@link #port()} and the "server" taken away and given back without touching the
 * server process.
 *
 * <ul>
 *   <li>{@link #cut()} closes every forwarded connection at once and closes new ones as soon as
 *       they are accepted; {@link #restore()} forwards again.</li>
 *   <li>{@link #holdRequestsAfter(int)} and {@link #holdResponses()} withhold the bytes of one
 *       direction, so a test can cut while a request or its answer is in flight;
 *       {@link #awaitHeldChunk(Duration)} tells when something is being withheld. A chunk is
 *       withheld for at most 30 seconds, then dropped with its connection.</li>
 *   <li>{@link #roundTrips()} counts request/response exchanges: a response chunk that follows
 *       request bytes on the same connection counts one. Read it before and after an operation
 *       to count that operation's round trips on the wire (for strictly request/response
 *       protocols such as PostgreSQL, MySQL and non-pipelined RESP).</li>
 * </ul>
 *
 * <p>Every wait is bounded. Thread-safe: every method may be called from any thread. Each
 * forwarded connection uses two daemon threads, which end when the connection does.
 */
public final class LoopbackProxy implements AutoCloseable {

    private static final long MAX_HOLD_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "loopback-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong roundTrips = new AtomicLong();
    private final Object monitor = new Object();
    private volatile boolean refusing;
    /** Chunks of each direction still let through before holding; -1: never hold. Guarded by monitor. */
    private int requestAllowance = -1;
    private int responseAllowance = -1;
    private int heldChunks;

    /**
     * Starts a proxy on an ephemeral loopback port that forwards to {@code targetHost:targetPort}.
     *
     * @throws IOException              no loopback port could be bound
     * @throws IllegalArgumentException {@code targetPort} is not in 1..65535
     */
    public LoopbackProxy(String targetHost, int targetPort) throws IOException {
        Objects.requireNonNull(targetHost, "targetHost");
        if (targetPort < 1 || targetPort > 65_535) {
            throw new IllegalArgumentException("targetPort must be between 1 and 65535, was " + targetPort);
        }
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** The loopback port to connect to instead of the target's. */
    public int port() {
        return server.getLocalPort();
    }

    /** Closes every forwarded connection now, dropping withheld bytes, and every new one on arrival. */
    public void cut() {
        refusing = true;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /** Forwards new connections again, withholding nothing. Connections closed by {@link #cut()} stay closed. */
    public void restore() {
        synchronized (monitor) {
            requestAllowance = -1;
            responseAllowance = -1;
            heldChunks = 0;
            monitor.notifyAll();
        }
        refusing = false;
    }

    /** Withholds client-to-server bytes once {@code chunks} more chunks (0 or more) have passed. */
    public void holdRequestsAfter(int chunks) {
        if (chunks < 0) {
            throw new IllegalArgumentException("chunks must be 0 or more, was " + chunks);
        }
        synchronized (monitor) {
            requestAllowance = chunks;
            heldChunks = 0;
        }
    }

    /** Withholds server-to-client bytes from now on. */
    public void holdResponses() {
        synchronized (monitor) {
            responseAllowance = 0;
            heldChunks = 0;
        }
    }

    /**
     * Waits until a chunk is being withheld, at most {@code timeout}.
     *
     * @return true once a chunk is withheld, false when the timeout passed first
     * @throws InterruptedException the waiting thread was interrupted
     */
    public boolean awaitHeldChunk(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (heldChunks == 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                monitor.wait(left);
            }
            return true;
        }
    }

    /** Request/response exchanges forwarded so far, over all connections (see the class comment). */
    public long roundTrips() {
        return roundTrips.get();
    }

    /** Sockets currently open through the proxy, both ends counted: twice the forwarded connections. */
    int openSockets() {
        return open.size();
    }

    /** Cuts every connection, stops listening and waits (at most 5 s) for the forwarding threads. */
    @Override
    public void close() {
        cut();
        closeQuietly(server);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            open.add(client);
            open.add(upstream);
            if (refusing) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            AtomicBoolean requestOutstanding = new AtomicBoolean();
            try {
                threads.execute(() -> pump(client, upstream, true, requestOutstanding));
                threads.execute(() -> pump(upstream, client, false, requestOutstanding));
            } catch (RuntimeException shutDown) {
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean requests, AtomicBoolean requestOutstanding) {
        byte[] buffer = new byte[16_384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (!mayPass(requests, from, to)) {
                    break;
                }
                if (requests) {
                    requestOutstanding.set(true);
                } else if (requestOutstanding.getAndSet(false)) {
                    roundTrips.incrementAndGet();
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the connection is gone; both ends are closed below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    /** False when the chunk must be dropped because its connection was cut while it was held. */
    private boolean mayPass(boolean requests, Socket from, Socket to) throws InterruptedException {
        synchronized (monitor) {
            int allowance = requests ? requestAllowance : responseAllowance;
            if (allowance < 0) {
                return true;
            }
            if (allowance > 0) {
                if (requests) {
                    requestAllowance--;
                } else {
                    responseAllowance--;
                }
                return true;
            }
            heldChunks++;
            monitor.notifyAll();
            long deadline = System.nanoTime() + MAX_HOLD_NANOS;
            while ((requests ? requestAllowance : responseAllowance) == 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (from.isClosed() || to.isClosed() || left <= 0) {
                    return false;
                }
                monitor.wait(Math.min(left, 100));
            }
            return !from.isClosed() && !to.isClosed();
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
