package io.caravan.usage;

import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The schema: Flyway's scripts in {@code db/migration}, the same set for SQLite and PostgreSQL, run once a store. */
final class Migrations {

    static final String LOCATION = "classpath:db/migration";

    private final Flyway flyway;
    private final AtomicBoolean done = new AtomicBoolean();

    Migrations(DataSource dataSource) {
        this.flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .load();
    }

    /** Brings the schema up to date, unless this store already did; throws when the database cannot be reached. */
    void ensure() {
        if (done.get()) {
            return;
        }
        synchronized (this) {
            if (!done.get()) {
                flyway.migrate();
                done.set(true);
            }
        }
    }

    boolean done() {
        return done.get();
    }
}
