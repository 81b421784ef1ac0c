package io.caravan.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Records what the gateway logs while open (every logger, the access log included), for assertions on log lines.
 * Bounded: past {@value #MAX_EVENTS} events the rest are dropped.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final int MAX_EVENTS = 100_000;

    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final List<Logger> attached;

    private LogCapture(String... loggers) {
        attached = java.util.Arrays.stream(loggers).map(name -> (Logger) LoggerFactory.getLogger(name)).toList();
        setContext(attached.get(0).getLoggerContext());
        start();
        attached.forEach(logger -> logger.addAppender(this));
    }

    /** Captures the root logger, and the access log too where it does not pass its lines on to the root. */
    public static LogCapture capture() {
        Logger access = (Logger) LoggerFactory.getLogger("caravan.access");
        return access.isAdditive() ? new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME)
                : new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME, "caravan.access");
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (events.size() < MAX_EVENTS) {
            event.prepareForDeferredProcessing();
            events.add(event);
        }
    }

    /** Formatted messages (with the exception's class and message, if any) at this level or above. */
    public List<String> atLeast(Level level) {
        return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(level)).map(LogCapture::describe).toList();
    }

    /** Formatted messages of one logger. */
    public List<String> of(String logger) {
        return events.stream().filter(e -> e.getLoggerName().equals(logger)).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /**
     * The first line of {@code logger} that contains {@code text}, waiting up to {@code timeout} for it (a bound for a
     * line written once an answer is done, such as the access log's, not a time assertion).
     */
    public String awaitLine(String logger, String text, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            java.util.Optional<String> line = of(logger).stream().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + logger + " line with '" + text + "': " + of(logger));
    }

    private static String describe(ILoggingEvent e) {
        String text = e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage();
        return e.getThrowableProxy() == null ? text
                : text + " | " + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage();
    }

    @Override
    public void close() {
        attached.forEach(logger -> logger.detachAppender(this));
        stop();
    }
}
