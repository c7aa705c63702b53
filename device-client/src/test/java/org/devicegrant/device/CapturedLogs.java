package org.devicegrant.device;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The slf4j binding of device-client's tests: keeps every line at every level, with formatted
 * arguments and stack traces, so that tests can search it for tokens. Registered through
 * {@code META-INF/services}.
 */
public final class CapturedLogs implements SLF4JServiceProvider {

    private static final List<String> LINES = new CopyOnWriteArrayList<>();

    /** Everything logged so far by any test in this JVM. */
    static List<String> lines() {
        return List.copyOf(LINES);
    }

    static void clear() {
        LINES.clear();
    }

    private final ILoggerFactory loggers = new ILoggerFactory() {
        private final ConcurrentHashMap<String, Logger> byName = new ConcurrentHashMap<>();

        @Override
        public Logger getLogger(String name) {
            return byName.computeIfAbsent(name, CapturingLogger::new);
        }
    };
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private static final class CapturingLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        CapturingLogger(String name) {
            this.name = name;
        }

        @Override public boolean isTraceEnabled() { return true; }
        @Override public boolean isDebugEnabled() { return true; }
        @Override public boolean isInfoEnabled() { return true; }
        @Override public boolean isWarnEnabled() { return true; }
        @Override public boolean isErrorEnabled() { return true; }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                Throwable t) {
            StringBuilder line = new StringBuilder(level + " " + name + " "
                    + MessageFormatter.basicArrayFormat(pattern, args));
            if (t != null) {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            LINES.add(line.toString());
        }
    }
}
