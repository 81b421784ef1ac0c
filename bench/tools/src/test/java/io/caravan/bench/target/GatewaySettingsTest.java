package io.caravan.bench.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewaySettingsTest {
    @TempDir
    Path dir;

    @Test
    void offMetersNothingAndKnowsTheKeyAsALegacyClientKey() throws Exception {
        GatewaySettings off = GatewaySettings.meteringOff(dir.resolve("off"));

        assertFalse(off.metered());
        assertTrue(off.systemProperties().contains("-Dcaravan.store.url="));
        assertTrue(off.systemProperties().contains("-Dcaravan.client-keys=" + Gateway.CLIENT_KEY));
        String clientsFile = property(off, "caravan.clients-file");
        assertFalse(Files.exists(Path.of(clientsFile)), "the off gateway's clients file must not exist");
    }

    @Test
    void onMetersIntoItsOwnSqliteFileAndKnowsTheKeyOnlyAsALimitedClient() throws Exception {
        Path roundDir = dir.resolve("on");
        GatewaySettings on = GatewaySettings.meteringOn(roundDir);

        assertTrue(on.metered());
        assertEquals(roundDir.resolve("caravan.db"), on.database());
        assertEquals("jdbc:sqlite:" + roundDir.resolve("caravan.db"), property(on, "caravan.store.url"));
        assertEquals("", property(on, "caravan.client-keys"));
        assertEquals(GatewaySettings.ADMIN_KEY, property(on, "caravan.admin-keys"));
        String yaml = Files.readString(Path.of(property(on, "caravan.clients-file")));
        assertTrue(yaml.contains("key: " + Gateway.CLIENT_KEY), yaml);
        assertTrue(yaml.contains("requests-per-minute: 100000000\n"), yaml);
        assertTrue(yaml.contains("tokens-per-minute: 100000000000\n"), yaml);
        assertTrue(yaml.contains("max-concurrent: 100000\n"), yaml);
        assertTrue(yaml.contains("budget: {tokens: 1000000000000, per: month}"), yaml);
        assertTrue(yaml.contains("models: [\"*\"]"), yaml);
    }

    private static String property(GatewaySettings settings, String name) {
        String prefix = "-D" + name + "=";
        return settings.systemProperties().stream().filter(p -> p.startsWith(prefix))
                .map(p -> p.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + settings.systemProperties()));
    }
}
