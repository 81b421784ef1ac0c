package io.caravan.usage;

import java.sql.SQLException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage database: every answered request is {@linkplain #record recorded} in memory and written behind, in
 * batches, by one background thread, into raw rows and per-minute, per-hour and per-day aggregates (per client,
 * model and credential) that {@linkplain #usage queries} read. A database that is away (at start or later) costs
 * the gateway nothing but a log line and bounded memory: records wait, the oldest dropped beyond
 * {@link StoreSettings#maxPending()}, and are written once it answers again; {@link #health()} tells the state.
 *
 * <p>It also keeps the client keys created at run time ({@link #storedClients()} and the like): those calls, and the
 * queries, are synchronous and belong off the request path.
 */
public final class UsageStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UsageStore.class);
    /** How long {@link #close()} waits for the last write. */
    static final long CLOSE_WAIT_MILLIS = 10_000;

    private final PooledDatabase database;
    private final Migrations migrations;
    private final PendingRecords pending;
    private final StoreStatus status = new StoreStatus();
    private final ErrorMasking masking;
    private final StoreWriter writer;
    private final UsageReader reader;
    private final ClientKeysTable clientKeys;
    private final String displayUrl;

    private UsageStore(StoreSettings settings, PooledDatabase database) {
        this.database = database;
        this.migrations = new Migrations(database.dataSource());
        this.pending = new PendingRecords(settings.maxPending());
        this.masking = new ErrorMasking(settings);
        this.writer = new StoreWriter(database, pending, migrations, new BatchWriter(database),
                new RetentionPruner(database, settings), status, masking, settings.flushIntervalMillis());
        this.reader = new UsageReader(database);
        this.clientKeys = new ClientKeysTable(database);
        this.displayUrl = DatabaseUrl.display(settings.url());
    }

    /**
     * Opens the store: the pool, the schema (migrated now if the database answers, else by the writer thread once it
     * does) and the writer thread.
     *
     * @throws IllegalArgumentException for a URL of neither SQLite nor PostgreSQL (a configuration error)
     */
    public static UsageStore open(StoreSettings settings) {
        UsageStore store = new UsageStore(settings, PooledDatabase.open(settings));
        store.writer.migrate();
        store.writer.start();
        LOG.info("usage store at {}", store.displayUrl);
        return store;
    }

    /** Keeps the record for the next write. Never blocks and never touches the database. */
    public void record(UsageRecord record) {
        if (pending.add(record) == StoreWriter.MAX_BATCH) {
            writer.wake();
        }
    }

    /**
     * Writes everything pending now, on the calling thread.
     *
     * @throws UsageStoreException when the database cannot be reached (the records stay pending)
     */
    public void flush() {
        if (!writer.cycle()) {
            throw new UsageStoreException("usage store unavailable: " + status.health(0, 0, displayUrl).lastError());
        }
    }

    public StoreHealth health() {
        return status.health(pending.size(), pending.dropped(), displayUrl);
    }

    /**
     * What each client used since the start of a day and of a month (of what is written: call it before recording,
     * at start, to rebuild budgets), tokens counting {@code input + output}.
     *
     * @throws UsageStoreException when the database cannot be reached
     */
    public Map<String, ClientTotals> clientTotals(long dayStartMillis, long monthStartMillis) {
        return call(() -> {
            Map<String, ClientTotals> totals = new HashMap<>();
            for (UsageRow row : reader.usage(perClientSince(monthStartMillis))) {
                totals.put(row.client(), new ClientTotals(0, 0, row.tokens().total(), row.requests()));
            }
            for (UsageRow row : reader.usage(perClientSince(dayStartMillis))) {
                ClientTotals month = totals.getOrDefault(row.client(), ClientTotals.NONE);
                totals.put(row.client(), new ClientTotals(row.tokens().total(), row.requests(), month.monthTokens(),
                        month.monthRequests()));
            }
            return totals;
        });
    }

    private static UsageQuery perClientSince(long startMillis) {
        return new UsageQuery(startMillis, Long.MAX_VALUE, null, null, null, EnumSet.of(UsageGroup.CLIENT), null);
    }

    /**
     * The aggregates the query asks for, ordered by bucket start, then client, model and credential.
     *
     * @throws UsageStoreException when the database cannot be reached
     */
    public List<UsageRow> usage(UsageQuery query) {
        return call(() -> reader.usage(query));
    }

    /** The client keys created at run time, by name. */
    public List<StoredClient> storedClients() {
        return call(clientKeys::all);
    }

    /** Inserts the client, or replaces the one of that name. */
    public void saveClient(StoredClient client) {
        call(() -> {
            clientKeys.save(client);
            return null;
        });
    }

    /** Deletes the client of that name; returns whether there was one. */
    public boolean deleteClient(String name) {
        return call(() -> clientKeys.delete(name));
    }

    private <T> T call(Callable<T> work) {
        try {
            migrations.ensure();
            return work.call();
        } catch (SQLException | RuntimeException e) {
            throw new UsageStoreException("usage store unavailable: " + masking.describe(e));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes what is pending (waiting at most {@value #CLOSE_WAIT_MILLIS} ms), stops the writer, closes the pool. */
    @Override
    public void close() {
        try {
            if (!writer.stop(CLOSE_WAIT_MILLIS)) {
                LOG.warn("usage store: the last write did not end within {} ms; {} records not written",
                        CLOSE_WAIT_MILLIS, pending.size());
            } else if (pending.size() > 0) {
                LOG.warn("usage store: {} records not written at close: {}", pending.size(),
                        status.health(0, 0, displayUrl).lastError());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            database.close();
        }
    }
}
