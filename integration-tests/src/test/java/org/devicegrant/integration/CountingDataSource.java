package org.devicegrant.integration;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source over one physical connection that it lends out again and again (closing a lent
 * connection does nothing), recording the statements created on it. No pool sits in between, so
 * the only traffic on the connection is what the store sends: no validation queries, no
 * handshakes. Not thread-safe: for one caller at a time.
 */
final class CountingDataSource implements DataSource, AutoCloseable {

    private static final Set<String> STATEMENT_FACTORIES = Set.of("prepareStatement", "createStatement", "prepareCall");

    private final Connection physical;
    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    private final Connection lent;

    CountingDataSource(Connection physical) {
        this.physical = physical;
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                return null;
            }
            if (STATEMENT_FACTORIES.contains(method.getName())) {
                sent.add(args != null && args.length > 0 && args[0] instanceof String sql ? firstWord(sql)
                        : method.getName());
            }
            try {
                return method.invoke(physical, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        this.lent = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    /** One entry per statement created so far through lent connections: its SQL verb. */
    List<String> sent() {
        return sent;
    }

    private static String firstWord(String sql) {
        String trimmed = sql.strip();
        int space = trimmed.indexOf(' ');
        return (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public Connection getConnection() {
        return lent;
    }

    @Override
    public Connection getConnection(String username, String password) {
        return lent;
    }

    @Override
    public void close() throws SQLException {
        physical.close();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
