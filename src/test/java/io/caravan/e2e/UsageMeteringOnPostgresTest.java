package io.caravan.e2e;

/**
 * Usage metering against PostgreSQL: the same suite as {@link UsageMeteringEndToEndTest}, each gateway metering into a new database of a
 * PostgreSQL server started on 127.0.0.1 (skipped without PostgreSQL, unless -Dpostgres.required=true).
 */
class UsageMeteringOnPostgresTest extends UsageMeteringEndToEndTest {

    @Override
    MeteringDatabase databases() {
        return MeteringDatabase.postgres();
    }
}
