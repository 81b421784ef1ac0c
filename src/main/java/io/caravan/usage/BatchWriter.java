package io.caravan.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Writes one batch in one transaction: the raw rows, and the batch's sums added to the aggregates with
 * {@code INSERT ... ON CONFLICT ... DO UPDATE} (SQLite 3.24 and later, PostgreSQL 9.5 and later). Either all of it
 * lands or none of it, so a retried batch is never counted twice.
 */
final class BatchWriter {

    private static final String INSERT_REQUEST = "INSERT INTO usage_requests (at_millis, request_id, client, model, "
            + "upstream_model, credential, dialect, endpoint, stream, status, attempts, input_tokens, output_tokens, "
            + "cache_read_tokens, cache_write_tokens, reasoning_tokens, ttfb_millis, total_millis) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String[] SUMMED = {"requests", "errors", "input_tokens", "output_tokens",
            "cache_read_tokens", "cache_write_tokens", "reasoning_tokens"};

    private final PooledDatabase database;

    BatchWriter(PooledDatabase database) {
        this.database = database;
    }

    void write(List<UsageRecord> batch) throws SQLException {
        BatchAggregates aggregates = BatchAggregates.of(batch);
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                insertRequests(connection, batch);
                for (AggregateTable table : AggregateTable.values()) {
                    upsert(connection, table, aggregates.of(table));
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void insertRequests(Connection connection, List<UsageRecord> batch) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_REQUEST)) {
            for (UsageRecord record : batch) {
                int i = 1;
                insert.setLong(i++, record.atMillis());
                insert.setString(i++, StoredText.key(record.requestId()));
                insert.setString(i++, StoredText.key(record.client()));
                insert.setString(i++, StoredText.key(record.model()));
                insert.setString(i++, record.upstreamModel() == null ? null : StoredText.key(record.upstreamModel()));
                insert.setString(i++, record.credential() == null ? null : StoredText.key(record.credential()));
                insert.setString(i++, StoredText.key(record.dialect()));
                insert.setString(i++, StoredText.key(record.endpoint()));
                insert.setShort(i++, (short) (record.stream() ? 1 : 0));
                insert.setInt(i++, record.status());
                insert.setInt(i++, record.attempts());
                insert.setLong(i++, record.tokens().input());
                insert.setLong(i++, record.tokens().output());
                insert.setLong(i++, record.tokens().cacheRead());
                insert.setLong(i++, record.tokens().cacheWrite());
                insert.setLong(i++, record.tokens().reasoning());
                insert.setDouble(i++, record.ttfbMillis());
                insert.setDouble(i, record.totalMillis());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void upsert(Connection connection, AggregateTable table,
            List<Map.Entry<BatchAggregates.Key, BatchAggregates.Sums>> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(upsertSql(table))) {
            for (Map.Entry<BatchAggregates.Key, BatchAggregates.Sums> row : rows) {
                BatchAggregates.Key key = row.getKey();
                BatchAggregates.Sums sums = row.getValue();
                int i = 1;
                upsert.setLong(i++, key.bucketStart());
                upsert.setString(i++, key.client());
                upsert.setString(i++, key.model());
                upsert.setString(i++, key.credential());
                upsert.setLong(i++, sums.requests);
                upsert.setLong(i++, sums.errors);
                upsert.setLong(i++, sums.tokens.input());
                upsert.setLong(i++, sums.tokens.output());
                upsert.setLong(i++, sums.tokens.cacheRead());
                upsert.setLong(i++, sums.tokens.cacheWrite());
                upsert.setLong(i, sums.tokens.reasoning());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    static String upsertSql(AggregateTable table) {
        String name = table.tableName();
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(name)
                .append(" (bucket_start, client, model, credential");
        for (String column : SUMMED) {
            sql.append(", ").append(column);
        }
        sql.append(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (bucket_start, client, model, credential) "
                + "DO UPDATE SET ");
        for (int i = 0; i < SUMMED.length; i++) {
            String column = SUMMED[i];
            sql.append(i == 0 ? "" : ", ").append(column).append(" = ").append(name).append('.').append(column)
                    .append(" + excluded.").append(column);
        }
        return sql.toString();
    }

    private static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }
}
