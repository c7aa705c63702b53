package org.devicegrant.integration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.jdbc.Dialect;
import org.devicegrant.storage.jdbc.JdbcAttemptLimiter;
import org.devicegrant.storage.jdbc.JdbcConnection;
import org.devicegrant.storage.jdbc.JdbcDeviceAuthorizationStore;
import org.devicegrant.storage.jdbc.JdbcGrantStore;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.storage.inmemory.InMemoryGrantStore;
import org.devicegrant.storage.redis.RedisAttemptLimiter;
import org.devicegrant.storage.redis.RedisConnection;
import org.devicegrant.storage.redis.RedisDeviceAuthorizationStore;
import org.devicegrant.storage.redis.RedisGrantStore;
import org.devicegrant.storage.tck.LoopbackProxy;
import org.devicegrant.storage.tck.Services;
import org.h2.tools.Server;

/**
 * The stores a cluster of engines can share. Every backend but {@link #IN_MEMORY} is a server:
 * its node clients (one pool or one Redis connection per node) reach it through one
 * {@link LoopbackProxy}, and the test reads the truth through a direct, uncut client.
 * PostgreSQL, MariaDB and Redis are the loopback servers {@code .ci/services.sh} starts; H2
 * runs as an in-process TCP server so that it too can be cut.
 */
enum Backend {
    IN_MEMORY("in-memory"),
    H2("H2"),
    POSTGRESQL("PostgreSQL"),
    MARIADB("MariaDB"),
    REDIS("Redis");

    static final String HOST = "127.0.0.1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static int h2Port;

    final String displayName;

    Backend(String displayName) {
        this.displayName = displayName;
    }

    /** The backends that run as servers and so can be cut. */
    static Backend[] servers() {
        return new Backend[] {H2, POSTGRESQL, MARIADB, REDIS};
    }

    @Override
    public String toString() {
        return displayName;
    }

    /** How node clients are sized: a cut must fail fast, a race must not starve. */
    record NodeSettings(int poolSize, Duration connectionTimeout) {
        static final NodeSettings RACE = new NodeSettings(8, Duration.ofSeconds(10));
        static final NodeSettings FAULT = new NodeSettings(2, Duration.ofSeconds(1));
    }

    /**
     * Skips (or fails, under {@value Services#REQUIRE_ENV}=1) the calling test when the server
     * is down, then opens a fresh table or key prefix on it.
     *
     * @param clock the clock of the test's engines (a Redis grant store computes key lifetimes from it)
     */
    Deployment deploy(Clock clock) throws Exception {
        switch (this) {
            case IN_MEMORY:
                return new MemoryDeployment();
            case H2:
                return new JdbcDeployment(this, Dialect.H2, "sa", h2Port());
            case POSTGRESQL:
                Services.require(displayName, HOST, 5432);
                return new JdbcDeployment(this, Dialect.POSTGRESQL, user(5432, "postgres", "root"), 5432);
            case MARIADB:
                Services.require(displayName, HOST, 3306);
                return new JdbcDeployment(this, Dialect.MARIADB, user(3306, "root"), 3306);
            case REDIS:
                Services.require(displayName, HOST, 6379);
                return new RedisDeployment(clock);
            default:
                throw new AssertionError(this);
        }
    }

    String jdbcUrl(int port) {
        switch (this) {
            case H2:
                return "jdbc:h2:tcp://" + HOST + ":" + port + "/mem:devicegrant_integ;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000";
            case POSTGRESQL:
                return "jdbc:postgresql://" + HOST + ":" + port + "/test?connectTimeout=2&socketTimeout=10";
            case MARIADB:
                return "jdbc:mariadb://" + HOST + ":" + port + "/test?connectTimeout=2000&socketTimeout=10000";
            default:
                throw new AssertionError(this + " is not a JDBC backend");
        }
    }

    private String user(int port, String... candidates) {
        DriverManager.setLoginTimeout(3);
        for (String user : candidates) {
            try {
                DriverManager.getConnection(jdbcUrl(port), user, "").close();
                return user;
            } catch (SQLException e) {
                // the next one
            }
        }
        String reason = displayName + " on " + HOST + ":" + port + " accepts none of the users "
                + List.of(candidates) + " without a password";
        System.out.println("[devicegrant-integration] " + reason);
        Services.unavailable(reason);
        throw new AssertionError("unreachable");
    }

    /** Starts the in-process H2 TCP server once, on a free loopback port. */
    private static synchronized int h2Port() throws Exception {
        if (h2Port == 0) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Server.createTcpServer("-tcpPort", Integer.toString(port), "-tcpDaemon", "-ifNotExists").start();
            h2Port = port;
        }
        return h2Port;
    }

    static String randomName(String prefix) {
        byte[] bytes = new byte[5];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    /** One node's clients of the backend; {@code activeConnections}: connections lent out by its pool now. */
    record Node(DeviceAuthorizationStore store, AttemptLimiter limiter, GrantStore grants,
            IntSupplier activeConnections) {
    }

    /** A store whose traffic is counted: {@code sent} lists one entry per statement or command. */
    record Counted(DeviceAuthorizationStore store, List<String> sent) {
    }

    /** One test's share of a backend: a fresh table or key prefix, node clients, the truth. */
    interface Deployment extends AutoCloseable {

        Backend backend();

        /** A node's own clients: through the proxy when there is one. */
        Node node(String name, NodeSettings settings) throws Exception;

        /** A store reading and writing directly, never cut. */
        DeviceAuthorizationStore truth();

        /** The grant store reading and writing directly, never cut. */
        GrantStore truthGrants();

        /** Everything stored for this deployment, one string per row or key, in a stable order. */
        List<String> snapshot() throws Exception;

        /** The proxy between the node clients and the server; null for {@link #IN_MEMORY}. */
        LoopbackProxy proxy();

        /**
         * A store on one connection of its own through the proxy, with no pool in between, that
         * counts what it sends: statements created (JDBC) or commands by name (Redis).
         */
        default Counted counted() throws SQLException {
            throw new UnsupportedOperationException(backend() + " is not reached over the network");
        }

        @Override
        void close() throws SQLException;
    }

    /** Something a deployment opened and closes at the end. */
    @FunctionalInterface
    interface Opened {
        void close() throws SQLException;
    }

    private static final class MemoryDeployment implements Deployment {
        private final InMemoryDeviceAuthorizationStore store = InMemoryDeviceAuthorizationStore.create();
        private final InMemoryAttemptLimiter limiter = new InMemoryAttemptLimiter();
        private final InMemoryGrantStore grants = InMemoryGrantStore.create();

        @Override
        public Backend backend() {
            return IN_MEMORY;
        }

        @Override
        public Node node(String name, NodeSettings settings) {
            return new Node(store, limiter, grants, () -> 0);
        }

        @Override
        public DeviceAuthorizationStore truth() {
            return store;
        }

        @Override
        public GrantStore truthGrants() {
            return grants;
        }

        @Override
        public List<String> snapshot() {
            throw new UnsupportedOperationException("the in-memory store has no outside view");
        }

        @Override
        public LoopbackProxy proxy() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    private static final class JdbcDeployment implements Deployment {
        private final Backend backend;
        private final Dialect dialect;
        private final String user;
        private final int port;
        private final String tablePrefix = randomName("dg_integ_");
        private final LoopbackProxy proxy;
        private final HikariDataSource directPool;
        private final JdbcDeviceAuthorizationStore truth;
        private final JdbcGrantStore truthGrants;
        private final List<Opened> opened = new ArrayList<>();

        JdbcDeployment(Backend backend, Dialect dialect, String user, int port) throws IOException {
            this.backend = backend;
            this.dialect = dialect;
            this.user = user;
            this.port = port;
            this.proxy = new LoopbackProxy(HOST, port);
            this.directPool = pool("direct", port, new NodeSettings(4, Duration.ofSeconds(5)));
            this.truth = JdbcDeviceAuthorizationStore.of(connection(directPool));
            truth.createSchema();
            JdbcAttemptLimiter.builder().connection(connection(directPool)).build().createSchema();
            this.truthGrants = JdbcGrantStore.of(connection(directPool));
            truthGrants.createSchema();
        }

        /** This deployment's tables, reached through {@code dataSource}. */
        private JdbcConnection connection(DataSource dataSource) {
            return JdbcConnection.of(dataSource).withDialect(dialect).withTablePrefix(tablePrefix);
        }

        private HikariDataSource pool(String name, int port, NodeSettings settings) {
            HikariConfig config = new HikariConfig();
            config.setPoolName(backend.name() + "-" + name);
            config.setJdbcUrl(backend.jdbcUrl(port));
            config.setUsername(user);
            config.setPassword("");
            config.setMaximumPoolSize(settings.poolSize());
            config.setMinimumIdle(0);
            config.setConnectionTimeout(settings.connectionTimeout().toMillis());
            config.setValidationTimeout(Math.min(1_000, settings.connectionTimeout().toMillis()));
            config.setInitializationFailTimeout(-1);
            return new HikariDataSource(config);
        }

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public Node node(String name, NodeSettings settings) {
            HikariDataSource pool = pool(name, proxy.port(), settings);
            opened.add(pool::close);
            JdbcConnection connection = connection(pool);
            JdbcDeviceAuthorizationStore store = JdbcDeviceAuthorizationStore.of(connection);
            JdbcAttemptLimiter limiter = JdbcAttemptLimiter.builder().connection(connection).build();
            return new Node(store, limiter, JdbcGrantStore.of(connection),
                    () -> pool.getHikariPoolMXBean().getActiveConnections());
        }

        @Override
        public Counted counted() throws SQLException {
            CountingDataSource dataSource = new CountingDataSource(
                    DriverManager.getConnection(backend.jdbcUrl(proxy.port()), user, ""));
            opened.add(dataSource::close);
            return new Counted(JdbcDeviceAuthorizationStore.of(connection(dataSource)), dataSource.sent());
        }

        @Override
        public DeviceAuthorizationStore truth() {
            return truth;
        }

        @Override
        public GrantStore truthGrants() {
            return truthGrants;
        }

        @Override
        public List<String> snapshot() throws SQLException {
            List<String> rows = new ArrayList<>();
            try (Connection connection = directPool.getConnection(); Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(
                            "SELECT * FROM " + tablePrefix + "_authorization ORDER BY tenant, id")) {
                ResultSetMetaData meta = result.getMetaData();
                while (result.next()) {
                    TreeMap<String, Object> row = new TreeMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), result.getObject(i));
                    }
                    rows.add(row.toString());
                }
            }
            return rows;
        }

        @Override
        public LoopbackProxy proxy() {
            return proxy;
        }

        @Override
        public void close() throws SQLException {
            proxy.restore();
            for (Opened resource : opened) {
                resource.close();
            }
            try (Connection connection = directPool.getConnection(); Statement statement = connection.createStatement()) {
                // the refresh-token table references the grant table: dropped first
                for (String suffix : List.of("_authorization", "_attempt_failure", "_attempt_key", "_attempt_tenant",
                        "_grant_refresh_token", "_grant")) {
                    statement.execute("DROP TABLE IF EXISTS " + tablePrefix + suffix);
                }
            } finally {
                directPool.close();
                proxy.close();
            }
        }
    }

    private static final class RedisDeployment implements Deployment {
        private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
        private final String prefix = randomName("dginteg") + ":";
        private final LoopbackProxy proxy;
        private final ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.constant(Duration.ofMillis(50))).build();
        private final RedisClient directClient;
        private final StatefulRedisConnection<String, String> direct;
        private final RedisDeviceAuthorizationStore truth;
        private final Clock clock;
        private final RedisGrantStore truthGrants;
        private final List<Opened> opened = new ArrayList<>();

        RedisDeployment(Clock clock) throws IOException {
            this.proxy = new LoopbackProxy(HOST, 6379);
            this.directClient = client(6379);
            this.direct = directClient.connect();
            this.truth = RedisDeviceAuthorizationStore.builder()
                    .connection(new RedisConnection(direct, prefix)).build();
            this.clock = clock;
            this.truthGrants = grants(new RedisConnection(direct, prefix));
        }

        private RedisGrantStore grants(RedisConnection redis) {
            return RedisGrantStore.builder().connection(redis).clock(clock).build();
        }

        /** Fails fast while disconnected (no replay of queued commands after a reconnect). */
        RedisClient client(int port) {
            RedisClient client = RedisClient.create(resources,
                    RedisURI.builder().withHost(HOST).withPort(port).withTimeout(COMMAND_TIMEOUT).build());
            client.setOptions(ClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                    .build());
            return client;
        }

        @Override
        public Backend backend() {
            return REDIS;
        }

        @Override
        public Node node(String name, NodeSettings settings) {
            RedisClient client = client(proxy.port());
            StatefulRedisConnection<String, String> connection = client.connect();
            opened.add(() -> {
                connection.close();
                client.shutdown();
            });
            RedisConnection redis = new RedisConnection(connection, prefix);
            return new Node(RedisDeviceAuthorizationStore.builder().connection(redis).build(),
                    RedisAttemptLimiter.builder().connection(redis).build(), grants(redis), () -> 0);
        }

        @Override
        public Counted counted() {
            List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
            RedisClient client = client(proxy.port());
            client.addListener(new CommandListener() {
                @Override
                public void commandStarted(CommandStartedEvent event) {
                    sent.add(event.getCommand().getType().toString());
                }
            });
            StatefulRedisConnection<String, String> connection = client.connect();
            opened.add(() -> {
                connection.close();
                client.shutdown();
            });
            return new Counted(
                    RedisDeviceAuthorizationStore.builder().connection(new RedisConnection(connection, prefix)).build(),
                    sent);
        }

        @Override
        public DeviceAuthorizationStore truth() {
            return truth;
        }

        @Override
        public GrantStore truthGrants() {
            return truthGrants;
        }

        @Override
        public List<String> snapshot() {
            RedisCommands<String, String> redis = direct.sync();
            List<String> entries = new ArrayList<>();
            for (String key : keys(redis)) {
                Object value = switch (redis.type(key)) {
                    case "string" -> redis.get(key);
                    case "hash" -> new TreeMap<>(redis.hgetall(key));
                    case "zset" -> redis.zrangeWithScores(key, 0, -1);
                    case "set" -> new java.util.TreeSet<>(redis.smembers(key));
                    case "list" -> redis.lrange(key, 0, -1);
                    case "none" -> null;
                    default -> "?";
                };
                if (value != null) {
                    entries.add(key + " = " + value);
                }
            }
            entries.sort(null);
            return entries;
        }

        private List<String> keys(RedisCommands<String, String> redis) {
            List<String> keys = new ArrayList<>();
            ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(1_000);
            KeyScanCursor<String> cursor = redis.scan(args);
            keys.addAll(cursor.getKeys());
            while (!cursor.isFinished()) {
                cursor = redis.scan(cursor, args);
                keys.addAll(cursor.getKeys());
            }
            return keys;
        }

        @Override
        public LoopbackProxy proxy() {
            return proxy;
        }

        @Override
        public void close() throws SQLException {
            proxy.restore();
            for (Opened resource : opened) {
                resource.close();
            }
            try {
                List<String> keys = keys(direct.sync());
                if (!keys.isEmpty()) {
                    direct.sync().del(keys.toArray(String[]::new));
                }
            } finally {
                direct.close();
                directClient.shutdown();
                resources.shutdown();
                proxy.close();
            }
        }
    }
}
