package io.caravan.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The client keys created at run time, table {@code client_keys}: only hashes, never a plain key. */
final class ClientKeysTable {

    private static final String SELECT_ALL = "SELECT name, key_sha256, models, limits, expires_at_millis, enabled, "
            + "created_at_millis FROM client_keys ORDER BY name";
    private static final String UPSERT = "INSERT INTO client_keys (name, key_sha256, models, limits, "
            + "expires_at_millis, enabled, created_at_millis) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) "
            + "DO UPDATE SET key_sha256 = excluded.key_sha256, models = excluded.models, limits = excluded.limits, "
            + "expires_at_millis = excluded.expires_at_millis, enabled = excluded.enabled, "
            + "created_at_millis = excluded.created_at_millis";
    private static final String DELETE = "DELETE FROM client_keys WHERE name = ?";
    private static final String PATTERN_SEPARATOR = "\n";

    private final PooledDatabase database;

    ClientKeysTable(PooledDatabase database) {
        this.database = database;
    }

    List<StoredClient> all() throws SQLException {
        List<StoredClient> clients = new ArrayList<>();
        try (Connection connection = database.connection();
                PreparedStatement select = connection.prepareStatement(SELECT_ALL);
                ResultSet result = select.executeQuery()) {
            while (result.next()) {
                String models = result.getString(3);
                long expires = result.getLong(5);
                Long expiresAt = result.wasNull() ? null : expires;
                clients.add(new StoredClient(result.getString(1), result.getString(2),
                        models.isEmpty() ? List.of() : Arrays.asList(models.split(PATTERN_SEPARATOR, -1)),
                        result.getString(4), expiresAt, result.getShort(6) != 0, result.getLong(7)));
            }
        }
        return clients;
    }

    void save(StoredClient client) throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setString(1, client.name());
            upsert.setString(2, client.keySha256());
            upsert.setString(3, String.join(PATTERN_SEPARATOR, client.models()));
            upsert.setString(4, client.limits());
            if (client.expiresAtMillis() == null) {
                upsert.setNull(5, Types.BIGINT);
            } else {
                upsert.setLong(5, client.expiresAtMillis());
            }
            upsert.setShort(6, (short) (client.enabled() ? 1 : 0));
            upsert.setLong(7, client.createdAtMillis());
            upsert.executeUpdate();
        }
    }

    boolean delete(String name) throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setString(1, name);
            return delete.executeUpdate() > 0;
        }
    }
}
