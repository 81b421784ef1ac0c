package io.caravan.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.caravan.testing.ShippedSettings;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void theDisplayFormHasNoUserInfoAndNoParameters() {
        assertEquals("jdbc:sqlite:caravan.db", DatabaseUrl.display("jdbc:sqlite:caravan.db"));
        assertEquals("jdbc:postgresql://db:5432/caravan",
                DatabaseUrl.display("jdbc:postgresql://db:5432/caravan?user=u&password=s3cret-pass"));
        assertEquals("jdbc:postgresql://db:5432/caravan",
                DatabaseUrl.display("jdbc:postgresql://u:s3cret@pass@db:5432/caravan"));
        assertEquals("jdbc:postgresql://db", DatabaseUrl.display("jdbc:postgresql://u:pw@db"));
    }

    @Test
    void thePasswordInAUrlIsFound() {
        assertEquals("s3cret-pass", DatabaseUrl.embeddedPassword("jdbc:postgresql://db/c?user=u&password=s3cret-pass"));
        assertEquals("pw", DatabaseUrl.embeddedPassword("jdbc:postgresql://u:pw@db/c"));
        assertNull(DatabaseUrl.embeddedPassword("jdbc:postgresql://db/c?user=u"));
    }

    @Test
    void errorsAreMaskedDownToTheDriversWords() {
        String url = "jdbc:postgresql://db/c?password=Zq81uTy7Lm04xx";
        ErrorMasking masking = new ErrorMasking(ShippedSettings.store(url).withCredentials("u", "settings-secret-99"));
        RuntimeException failure = new RuntimeException("----------\nmigration failed on " + url,
                new SQLException("FATAL: password settings-secret-99 and Zq81uTy7Lm04xx refused"));
        String described = masking.describe(failure);
        assertEquals("FATAL: password [redacted] and [redacted] refused", described);
        assertEquals("migration failed on jdbc:postgresql://db/c",
                masking.describe(new RuntimeException("----\nmigration failed on " + url)));
        assertFalse(masking.mask(url).contains("Zq81uTy7"));
    }
}
