package io.caravan.reload;

import io.caravan.config.ConfigurationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the credentials file and the clients file every interval, on a daemon thread of its own, and reloads
 * when either changed (appearing and disappearing included). A content that cannot be used is given one more look
 * before it is refused: an editor may be half way through writing it. So a change is applied at the first check
 * that sees it if it parses, and refused at the next one if it still does not.
 */
public final class FileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);
    static final String THREAD_NAME = "caravan-config-watch";

    private final ConfigReloader reloader;
    private final long intervalMillis;
    private ScheduledExecutorService executor;
    /** The hashes of a change seen at the last check that could not be used yet; only the watcher's thread uses it. */
    private String pending;
    /** The read error reported last, while the files stay unreadable; only the watcher's thread uses it. */
    private String unreadableReported;

    /**
     * @param intervalMillis how often to look; 0 turns watching off ({@link #start} does nothing)
     */
    public FileWatcher(ConfigReloader reloader, long intervalMillis) {
        this.reloader = reloader;
        this.intervalMillis = intervalMillis;
    }

    public synchronized void start() {
        if (intervalMillis <= 0 || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::checkSafely, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    /** One look at both files; what a scheduled run does. */
    void check() {
        ConfigFileVersion credentials;
        ConfigFileVersion clients;
        try {
            credentials = ConfigFileVersion.read(reloader.credentialsFile());
            clients = ConfigFileVersion.read(reloader.clientsFile());
        } catch (ConfigurationException unreadable) {
            // Reported through a reload (which reads again and refuses what it cannot read) once, not every interval.
            if (!unreadable.getMessage().equals(unreadableReported)) {
                unreadableReported = unreadable.getMessage();
                reloader.reload(ReloadOutcome.Trigger.WATCH);
            }
            return;
        }
        unreadableReported = null;
        if (reloader.tried(credentials, clients)) {
            pending = null;
            return;
        }
        String seen = credentials.sha256() + "/" + clients.sha256();
        if (seen.equals(pending)) {
            // Stable across two looks and still unusable: refuse it for good, and say why.
            reloader.reload(ReloadOutcome.Trigger.WATCH, credentials, clients);
            pending = null;
            return;
        }
        pending = reloader.reloadIfUsable(ReloadOutcome.Trigger.WATCH, credentials, clients) == null ? seen : null;
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            // The schedule ends at the first exception it sees: keep watching, and say what went wrong.
            LOG.warn("Watching the configuration files failed this time: {}", e.toString());
        }
    }
}
