package io.caravan.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import io.caravan.dialect.TokenCounts;
import io.caravan.testing.LogCapture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the usage store does, whatever the database: run against a SQLite file and against a real PostgreSQL
 * server by the subclasses, which also say how to take their database away and give it back.
 */
abstract class UsageStoreContract {

    static final long MINUTE = TimeUnit.MINUTES.toMillis(1);
    static final long HOUR = TimeUnit.HOURS.toMillis(1);
    static final long DAY = TimeUnit.DAYS.toMillis(1);
    /** Test flush interval: short, so that waits for the writer stay short. */
    static final long FLUSH_MILLIS = 100;
    private static final long WAIT_MILLIS = 30_000;

    /** Two UTC days ago, 10:15:30: recent enough to be inside every retention, old enough to be whole. */
    static final long T = TimeBucket.DAY.floor(System.currentTimeMillis()) - 2 * DAY + 10 * HOUR + 15 * MINUTE
            + 30_000;

    private final List<UsageStore> opened = new ArrayList<>();

    /** Settings for a new, empty database. */
    abstract StoreSettings newDatabase();

    /** A connection to the database of these settings, for the test's own look at the tables. */
    abstract Connection connect(StoreSettings settings) throws SQLException;

    /** Makes the database of these settings refuse the store (locked, stopped) until {@link #giveBack}. */
    abstract void takeAway(StoreSettings settings) throws Exception;

    abstract void giveBack(StoreSettings settings) throws Exception;

    /** Text that must never be in a health report or a log line (the password), or {@code null}. */
    abstract String secret(StoreSettings settings);

    UsageStore open(StoreSettings settings) {
        UsageStore store = UsageStore.open(settings);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(UsageStore::close);
    }

    static UsageRecord record(long at, String id, String client, String model, String credential, int status,
            TokenCounts tokens) {
        return new UsageRecord(at, id, client, model, model == null ? null : model + "-2026", credential,
                "openai", "/v1/chat/completions", false, status, 1, tokens, 12.5, 40.25);
    }

    static UsageQuery query(long from, long to, Set<UsageGroup> groups, TimeBucket bucket) {
        return new UsageQuery(from, to, null, null, null, groups, bucket);
    }

    static final TokenCounts A = new TokenCounts(100, 20, 10, 5, 3);
    static final TokenCounts B = new TokenCounts(7, 3, 0, 2, 1);

    /** Four requests: two of alice on gpt-4o in one minute (one failed), one an hour on, one of bob the next day. */
    static void recordSample(UsageStore store) {
        store.record(record(T, "r1", "alice", "gpt-4o", "cred-a", 200, A));
        store.record(record(T + 10_000, "r2", "alice", "gpt-4o", "cred-a", 500, TokenCounts.NONE));
        store.record(record(T + HOUR, "r3", "alice", "claude", "cred-b", 200, B));
        store.record(record(T + DAY, "r4", "bob", "gpt-4o", null, 429, TokenCounts.NONE));
    }

    static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT_MILLIS + " ms: " + what);
            }
            Thread.sleep(20);
        }
    }

    long count(StoreSettings settings, String sql) throws SQLException {
        try (Connection connection = connect(settings); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            assertTrue(result.next());
            return result.getLong(1);
        }
    }

    @Test
    void recordsLandAsRawRowsAndAggregatesPerMinuteHourAndDay() throws Exception {
        StoreSettings settings = newDatabase().withFlushIntervalMillis(FLUSH_MILLIS);
        UsageStore store = open(settings);
        recordSample(store);
        store.flush();

        assertEquals(4, count(settings, "SELECT COUNT(*) FROM usage_requests"));
        assertEquals(1, count(settings, "SELECT COUNT(*) FROM usage_requests WHERE request_id = 'r4' "
                + "AND credential IS NULL AND status = 429 AND upstream_model = 'gpt-4o-2026' AND stream = 0 "
                + "AND ttfb_millis = 12.5 AND total_millis = 40.25 AND dialect = 'openai'"));
        // alice/gpt-4o/cred-a: one minute row with both requests; hour and day rows likewise
        for (String table : List.of("usage_minutes", "usage_hours", "usage_days")) {
            assertEquals(1, count(settings, "SELECT COUNT(*) FROM " + table + " WHERE client = 'alice' AND model = "
                    + "'gpt-4o' AND requests = 2 AND errors = 1 AND input_tokens = 100 AND output_tokens = 20 AND "
                    + "cache_read_tokens = 10 AND cache_write_tokens = 5 AND reasoning_tokens = 3"), table);
        }
        assertEquals(3, count(settings, "SELECT COUNT(*) FROM usage_minutes"));
        assertEquals(3, count(settings, "SELECT COUNT(*) FROM usage_hours"));
        // alice's two models share a day; bob's is the next
        assertEquals(3, count(settings, "SELECT COUNT(*) FROM usage_days"));
        assertEquals(1, count(settings, "SELECT COUNT(*) FROM usage_days WHERE client = 'bob' AND credential = ''"));

        StoreHealth health = store.health();
        assertTrue(health.ok());
        assertEquals(0, health.pending());
        assertTrue(health.lastFlushAtMillis() > 0);
    }

    @Test
    void aSecondBatchAddsToTheSameAggregateRows() throws Exception {
        StoreSettings settings = newDatabase().withFlushIntervalMillis(FLUSH_MILLIS);
        UsageStore store = open(settings);
        store.record(record(T, "r1", "alice", "gpt-4o", "cred-a", 200, A));
        store.flush();
        store.record(record(T + 1000, "r2", "alice", "gpt-4o", "cred-a", 200, A));
        store.flush();

        List<UsageRow> rows = store.usage(query(T - HOUR, T + HOUR, Set.of(), null));
        assertEquals(List.of(new UsageRow(null, null, null, null, 2, 0, A.plus(A))), rows);
        assertEquals(1, count(settings, "SELECT COUNT(*) FROM usage_minutes"));
    }

    @Test
    void queriesGroupByEachNameAndByHourOrDay() {
        UsageStore store = open(newDatabase().withFlushIntervalMillis(FLUSH_MILLIS));
        recordSample(store);
        store.flush();
        long from = TimeBucket.DAY.floor(T);
        long to = from + 2 * DAY;

        assertEquals(List.of(new UsageRow(null, null, null, null, 4, 2, A.plus(B))),
                store.usage(query(from, to, Set.of(), null)));
        assertEquals(List.of(
                new UsageRow("alice", null, null, null, 3, 1, A.plus(B)),
                new UsageRow("bob", null, null, null, 1, 1, TokenCounts.NONE)),
                store.usage(query(from, to, EnumSet.of(UsageGroup.CLIENT), null)));
        assertEquals(List.of(
                new UsageRow(null, "claude", null, null, 1, 0, B),
                new UsageRow(null, "gpt-4o", null, null, 3, 2, A)),
                store.usage(query(from, to, EnumSet.of(UsageGroup.MODEL), null)));
        assertEquals(List.of(
                new UsageRow(null, null, null, null, 1, 1, TokenCounts.NONE),
                new UsageRow(null, null, "cred-a", null, 2, 1, A),
                new UsageRow(null, null, "cred-b", null, 1, 0, B)),
                store.usage(query(from, to, EnumSet.of(UsageGroup.CREDENTIAL), null)));
        assertEquals(List.of(
                new UsageRow("alice", "gpt-4o", "cred-a", TimeBucket.HOUR.floor(T), 2, 1, A),
                new UsageRow("alice", "claude", "cred-b", TimeBucket.HOUR.floor(T) + HOUR, 1, 0, B),
                new UsageRow("bob", "gpt-4o", null, TimeBucket.HOUR.floor(T) + DAY, 1, 1, TokenCounts.NONE)),
                store.usage(query(from, to, EnumSet.allOf(UsageGroup.class), TimeBucket.HOUR)));
        assertEquals(List.of(
                new UsageRow(null, null, null, from, 3, 1, A.plus(B)),
                new UsageRow(null, null, null, from + DAY, 1, 1, TokenCounts.NONE)),
                store.usage(query(from, to, Set.of(), TimeBucket.DAY)));
    }

    @Test
    void filtersNarrowTheRows() {
        UsageStore store = open(newDatabase().withFlushIntervalMillis(FLUSH_MILLIS));
        recordSample(store);
        store.flush();
        long from = TimeBucket.DAY.floor(T);
        long to = from + 2 * DAY;
        Set<UsageGroup> all = EnumSet.allOf(UsageGroup.class);

        assertEquals(List.of(new UsageRow("bob", "gpt-4o", null, null, 1, 1, TokenCounts.NONE)),
                store.usage(new UsageQuery(from, to, "bob", null, null, all, null)));
        assertEquals(List.of(new UsageRow("alice", "gpt-4o", "cred-a", null, 2, 1, A),
                new UsageRow("bob", "gpt-4o", null, null, 1, 1, TokenCounts.NONE)),
                store.usage(new UsageQuery(from, to, null, "gpt-4o", null, all, null)));
        assertEquals(List.of(new UsageRow(null, null, null, null, 1, 0, B)),
                store.usage(new UsageQuery(from, to, "alice", "claude", "cred-b", Set.of(), null)));
        assertEquals(List.of(), store.usage(new UsageQuery(from, to, "carol", null, null, all, null)));
    }

    @Test
    void rangesAreReadToTheMinuteWhateverTheirAlignment() {
        UsageStore store = open(newDatabase().withFlushIntervalMillis(FLUSH_MILLIS));
        recordSample(store);
        store.flush();
        long minuteOfT = AggregateTable.MINUTES.floor(T);

        // From inside T's minute: that minute (r1 and r2) starts before it, so is left out.
        assertEquals(List.of(new UsageRow(null, null, null, null, 2, 1, B)),
                store.usage(query(T + 1, T + 3 * DAY, Set.of(), null)));
        // From T's minute start to mid next day: days, hours and minutes pieced together.
        assertEquals(List.of(new UsageRow(null, null, null, null, 4, 2, A.plus(B))),
                store.usage(query(minuteOfT, T + DAY + 1, Set.of(), null)));
        // To T's minute start (excluded) from a day earlier.
        assertEquals(List.of(), store.usage(query(minuteOfT - DAY - 7 * MINUTE, minuteOfT, Set.of(), null)));
        // A range of one minute.
        assertEquals(List.of(new UsageRow(null, null, null, null, 2, 1, A)),
                store.usage(query(minuteOfT, minuteOfT + MINUTE, Set.of(), null)));
        // Hour grouping over a ragged range.
        assertEquals(List.of(new UsageRow(null, null, null, TimeBucket.HOUR.floor(T), 2, 1, A),
                new UsageRow(null, null, null, TimeBucket.HOUR.floor(T) + HOUR, 1, 0, B)),
                store.usage(query(minuteOfT - 3 * MINUTE, T + HOUR + 5 * MINUTE, Set.of(), TimeBucket.HOUR)));
    }

    @Test
    void minuteGroupingReadsTheMinutesWhateverTheRange() {
        UsageStore store = open(newDatabase().withFlushIntervalMillis(FLUSH_MILLIS));
        recordSample(store);
        store.record(record(T + 2 * MINUTE, "r5", "alice", "gpt-4o", "cred-a", 200, B));
        store.flush();
        long minuteOfT = AggregateTable.MINUTES.floor(T);

        // A range of whole hours and days is still read from the minutes: each row is one minute.
        assertEquals(List.of(
                new UsageRow("alice", null, null, minuteOfT, 2, 1, A),
                new UsageRow("alice", null, null, minuteOfT + 2 * MINUTE, 1, 0, B),
                new UsageRow("alice", null, null, TimeBucket.MINUTE.floor(T + HOUR), 1, 0, B),
                new UsageRow("bob", null, null, TimeBucket.MINUTE.floor(T + DAY), 1, 1, TokenCounts.NONE)),
                store.usage(query(TimeBucket.DAY.floor(T), TimeBucket.DAY.floor(T) + 2 * DAY,
                        EnumSet.of(UsageGroup.CLIENT), TimeBucket.MINUTE)));
        // The last hour's view: from a minute boundary, the minutes before it left out.
        assertEquals(List.of(new UsageRow(null, "gpt-4o", null, minuteOfT + 2 * MINUTE, 1, 0, B)),
                store.usage(query(minuteOfT + MINUTE, minuteOfT + HOUR, EnumSet.of(UsageGroup.MODEL),
                        TimeBucket.MINUTE)));
    }

    @Test
    void clientTotalsSumADayAndAMonthPerClient() {
        UsageStore store = open(newDatabase().withFlushIntervalMillis(FLUSH_MILLIS));
        long dayStart = TimeBucket.DAY.floor(T);
        long monthStart = dayStart - 20 * DAY;
        store.record(record(monthStart - 1, "before", "alice", "gpt-4o", "c", 200, A));
        store.record(record(monthStart + 3 * DAY, "month", "alice", "gpt-4o", "c", 200, A));
        store.record(record(dayStart + 10, "today1", "alice", "gpt-4o", "c", 200, B));
        store.record(record(dayStart + DAY - 1, "today2", "bob", "gpt-4o", "c", 500, B));
        store.record(record(dayStart + DAY - 1, "today3", "bob", "gpt-4o", null, 403, TokenCounts.NONE));
        store.flush();

        Map<String, ClientTotals> totals = store.clientTotals(dayStart, monthStart);
        assertEquals(Map.of(
                "alice", new ClientTotals(B.total(), 1, A.total() + B.total(), 2),
                "bob", new ClientTotals(B.total(), 2, B.total(), 2)), totals);
    }

    @Test
    void recordNeverWaitsForTheDatabaseAndDropsTheOldestBeyondTheBound() throws Exception {
        StoreSettings settings = newDatabase().withFlushIntervalMillis(FLUSH_MILLIS).withMaxPending(10);
        UsageStore store = open(settings);
        try (LogCapture logs = LogCapture.capture()) {
            takeAway(settings);
            for (int i = 0; i < 25; i++) {
                store.record(record(T + i, "r" + i, "alice", "gpt-4o", "c", 200, A));
            }
            waitFor("the store to notice the database is away", () -> !store.health().ok());
            StoreHealth health = store.health();
            assertEquals(10, health.pending());
            assertEquals(15, health.dropped());
            waitFor("the drops logged", () -> logs.atLeast(Level.WARN).stream()
                    .anyMatch(line -> line.contains("usage records dropped")));
            giveBack(settings);
            waitFor("the pending records written", () -> store.health().pending() == 0 && store.health().ok());
            assertEquals(1, logs.atLeast(Level.WARN).stream().filter(l -> l.contains("usage records dropped")).count());
            assertEquals(1, logs.atLeast(Level.WARN).stream().filter(l -> l.contains("usage store unavailable"))
                    .count());
        }
        assertEquals(10, count(settings, "SELECT COUNT(*) FROM usage_requests"));
        assertEquals(10, count(settings, "SELECT COUNT(*) FROM usage_requests WHERE request_id IN ('r15', 'r16', "
                + "'r17', 'r18', 'r19', 'r20', 'r21', 'r22', 'r23', 'r24')"));
        assertEquals(15, store.health().dropped());
    }

    @Test
    void aDatabaseThatGoesAwayIsReportedAndTheRecordsAreWrittenWhenItIsBack() throws Exception {
        StoreSettings settings = newDatabase().withFlushIntervalMillis(FLUSH_MILLIS);
        UsageStore store = open(settings);
        store.record(record(T, "before", "alice", "gpt-4o", "c", 200, A));
        store.flush();
        try (LogCapture logs = LogCapture.capture()) {
            takeAway(settings);
            store.record(record(T + 1, "during1", "alice", "gpt-4o", "c", 200, A));
            store.record(record(T + 2, "during2", "alice", "gpt-4o", "c", 200, A));
            waitFor("the store to notice", () -> !store.health().ok());
            StoreHealth down = store.health();
            assertNotNull(down.lastError());
            assertFalse(down.lastError().isBlank());
            assertTrue(down.lastErrorAtMillis() > 0);
            assertEquals(2, down.pending());
            assertThrows(UsageStoreException.class, store::flush);
            giveBack(settings);
            waitFor("the records written", () -> store.health().ok() && store.health().pending() == 0);
            List<String> lines = logs.atLeast(Level.INFO).stream().filter(l -> l.contains("usage store")).toList();
            assertEquals(1, lines.stream().filter(l -> l.contains("usage store unavailable")).count(), lines::toString);
            assertEquals(1, lines.stream().filter(l -> l.contains("available again")).count(), lines::toString);
            String secret = secret(settings);
            if (secret != null) {
                assertFalse(down.lastError().contains(secret));
                assertTrue(logs.atLeast(Level.TRACE).stream().noneMatch(l -> l.contains(secret)));
            }
        }
        assertEquals(List.of(new UsageRow(null, null, null, null, 3, 0,
                A.plus(A).plus(A))), store.usage(query(T - HOUR, T + HOUR, Set.of(), null)));
    }

    @Test
    void aDatabaseAwayAtOpenDoesNotFailTheOpenAndIsMigratedOnceBack() throws Exception {
        StoreSettings settings = newDatabase().withFlushIntervalMillis(FLUSH_MILLIS);
        takeAway(settings);
        UsageStore store;
        try {
            store = open(settings);
            assertFalse(store.health().ok());
            store.record(record(T, "r1", "alice", "gpt-4o", "c", 200, A));
            assertEquals(1, store.health().pending());
        } finally {
            giveBack(settings);
        }
        waitFor("the record written", () -> store.health().ok() && store.health().pending() == 0);
        assertEquals(1, count(settings, "SELECT COUNT(*) FROM usage_requests"));
    }

    @Test
    void closeWritesEverythingPending() throws Exception {
        StoreSettings settings = newDatabase().withFlushIntervalMillis(TimeUnit.HOURS.toMillis(1));
        UsageStore store = UsageStore.open(settings);
        for (int i = 0; i < 100; i++) {
            store.record(record(T + i, "r" + i, "alice", "gpt-4o", "c", 200, A));
        }
        assertEquals(100, store.health().pending());
        store.close();
        assertEquals(100, count(settings, "SELECT COUNT(*) FROM usage_requests"));
        assertEquals(100, count(settings, "SELECT requests FROM usage_days"));
    }

    @Test
    void aLargeBacklogIsWrittenBeforeTheTick() throws Exception {
        StoreSettings settings = newDatabase().withFlushIntervalMillis(TimeUnit.HOURS.toMillis(1));
        UsageStore store = open(settings);
        int records = StoreWriter.MAX_BATCH * 2 + 7;
        for (int i = 0; i < records; i++) {
            store.record(record(T + i, "r" + i, "client-" + (i % 3), "gpt-4o", "c", 200, A));
        }
        waitFor("two full batches written", () -> store.health().pending() <= 7);
        assertTrue(count(settings, "SELECT COUNT(*) FROM usage_requests") >= 2L * StoreWriter.MAX_BATCH);
        store.flush();
        assertEquals(records, count(settings, "SELECT SUM(requests) FROM usage_hours"));
    }

    @Test
    void migratingAnExistingDatabaseAgainChangesNothing() throws Exception {
        StoreSettings settings = newDatabase().withFlushIntervalMillis(FLUSH_MILLIS);
        try (UsageStore first = UsageStore.open(settings)) {
            recordSample(first);
        }
        long migrations = count(settings, "SELECT COUNT(*) FROM flyway_schema_history");
        assertTrue(migrations >= 1);
        UsageStore second = open(settings);
        assertTrue(second.health().ok());
        assertEquals(migrations, count(settings, "SELECT COUNT(*) FROM flyway_schema_history"));
        assertEquals(4, count(settings, "SELECT COUNT(*) FROM usage_requests"));
        assertEquals(4, second.usage(query(T - DAY, T + 2 * DAY, Set.of(), null)).get(0).requests());
    }

    @Test
    void rowsAndMinutesPastTheirRetentionArePrunedHoursAndDaysKept() throws Exception {
        StoreSettings settings = newDatabase().withFlushIntervalMillis(FLUSH_MILLIS).withRetentionDays(30, 7);
        UsageStore store = open(settings);
        long now = System.currentTimeMillis();
        store.record(record(now - 40 * DAY, "old", "alice", "gpt-4o", "c", 200, A));
        store.record(record(now - 10 * DAY, "tenDays", "alice", "gpt-4o", "c", 200, A));
        store.record(record(now - HOUR, "recent", "alice", "gpt-4o", "c", 200, A));
        store.flush();

        assertEquals(2, count(settings, "SELECT COUNT(*) FROM usage_requests"));
        assertEquals(0, count(settings, "SELECT COUNT(*) FROM usage_requests WHERE request_id = 'old'"));
        assertEquals(1, count(settings, "SELECT COUNT(*) FROM usage_minutes"));
        assertEquals(3, count(settings, "SELECT COUNT(*) FROM usage_hours"));
        assertEquals(3, count(settings, "SELECT COUNT(*) FROM usage_days"));
        long from = TimeBucket.DAY.floor(now - 41 * DAY);
        assertEquals(3, store.usage(query(from, TimeBucket.DAY.floor(now) + DAY, Set.of(), null)).get(0).requests());
    }

    @Test
    void oddNamesAreStoredSafely() {
        UsageStore store = open(newDatabase().withFlushIntervalMillis(FLUSH_MILLIS));
        String longModel = "m".repeat(5000);
        store.record(record(T, "r1", "alice", "bad\0model", "c", 200, A));
        store.record(record(T, "r2", "alice", longModel, "c", 200, A));
        store.flush();
        List<UsageRow> rows = store.usage(query(T - HOUR, T + HOUR, EnumSet.of(UsageGroup.MODEL), null));
        assertEquals(List.of("badmodel", "m".repeat(StoredText.MAX_KEY_CHARS)),
                rows.stream().map(UsageRow::model).toList());
        assertEquals(1, store.usage(new UsageQuery(T - HOUR, T + HOUR, null, longModel, null, Set.of(), null))
                .get(0).requests());
    }

    @Test
    void storedClientsAreCreatedReadReplacedAndDeleted() {
        UsageStore store = open(newDatabase());
        assertEquals(List.of(), store.storedClients());
        StoredClient ci = new StoredClient("ci", "ab".repeat(32), List.of("gpt-4o", "claude-*"),
                "{\"requests-per-minute\":60}", null, true, 1_700_000_000_000L);
        StoredClient bot = new StoredClient("bot", "cd".repeat(32), List.of(), null, 1_800_000_000_000L, false,
                1_700_000_000_001L);
        store.saveClient(ci);
        store.saveClient(bot);
        assertEquals(List.of(bot, ci), store.storedClients());

        StoredClient ciChanged = new StoredClient("ci", "ef".repeat(32), List.of("*"), "{}", 1_900_000_000_000L,
                false, ci.createdAtMillis());
        store.saveClient(ciChanged);
        assertEquals(List.of(bot, ciChanged), store.storedClients());

        assertTrue(store.deleteClient("ci"));
        assertFalse(store.deleteClient("ci"));
        assertEquals(List.of(bot), store.storedClients());
    }

    @Test
    void healthNamesTheDatabaseWithoutSecrets() {
        StoreSettings settings = newDatabase();
        UsageStore store = open(settings);
        StoreHealth health = store.health();
        assertTrue(health.ok());
        assertNull(health.lastError());
        assertEquals(0, health.dropped());
        assertEquals(DatabaseUrl.display(settings.url()), health.database());
        String secret = secret(settings);
        if (secret != null) {
            assertFalse(health.toString().contains(secret));
            assertFalse(settings.toString().contains(secret));
        }
    }
}
