package io.caravan.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.clients.ClientLimiter;
import io.caravan.clients.ClientRegistry;
import io.caravan.clients.ClientSpec;
import io.caravan.pool.CooldownPolicy;
import io.caravan.pool.Credential;
import io.caravan.pool.CredentialPool;
import io.caravan.routing.ModelFallbacks;
import io.caravan.routing.PayloadRules;
import io.caravan.routing.RoutingTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reloader and the watcher on real files, a real pool and a real client registry. */
class ConfigReloaderTest {

    private static final CooldownPolicy POLICY = new CooldownPolicy(
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(30), Duration.ofHours(1));
    private static final PropertiesComponent PROPERTIES = new DefaultCamelContext().getPropertiesComponent();

    @TempDir
    Path directory;
    private Path credentialsFile;
    private Path clientsFile;
    private CredentialPool pool;
    private ClientRegistry clients;
    private ConfigReloader reloader;
    private final List<ReloadOutcome> heard = new CopyOnWriteArrayList<>();

    private static String credential(String name) {
        return "  - name: " + name + "\n    kind: openai\n    base-url: http://127.0.0.1:9/v1\n"
                + "    api-key: key-of-" + name + "-0123456789\n    models: [m]\n";
    }

    @BeforeEach
    void start() throws Exception {
        credentialsFile = directory.resolve("credentials.yaml");
        clientsFile = directory.resolve("clients.yaml");
        Files.writeString(credentialsFile, "credentials:\n" + credential("a"));
        ConfigFileVersion credentialsAtStart = ConfigFileVersion.read(credentialsFile);
        ConfigFileVersion clientsAtStart = ConfigFileVersion.read(clientsFile);
        CredentialSource source = new CredentialSource(PROPERTIES);
        pool = new CredentialPool(source.config(credentialsAtStart).credentials(), POLICY, 10);
        clients = new ClientRegistry(List.of(), List.of("legacy-key-0123456789"), List.of());
        reloader = new ConfigReloader(source, PROPERTIES, pool, new RoutingTable(ModelFallbacks.NONE, PayloadRules.NONE), clients, new ClientLimiter(), credentialsAtStart,
                clientsAtStart);
        reloader.addListener(heard::add);
    }

    private List<String> names() {
        return pool.credentials().stream().map(Credential::name).toList();
    }

    @Test
    void theStartIsTheFirstOutcomeAndUnchangedFilesAreNotApplied() {
        assertEquals(ReloadOutcome.Trigger.STARTUP, reloader.last().trigger());
        assertEquals(List.of("a"), reloader.last().credentials().added());
        Credential a = pool.credential("a");

        ReloadOutcome outcome = reloader.reload(ReloadOutcome.Trigger.ADMIN);

        assertEquals(ReloadOutcome.Result.UNCHANGED, outcome.result());
        assertSame(a, pool.credential("a"));
        assertEquals(List.of(outcome), heard);
    }

    @Test
    void aClashThatOnlyShowsWhenAppliedRefusesBothFiles() throws Exception {
        Files.writeString(credentialsFile, "credentials:\n" + credential("a") + credential("b"));
        // client-1 is caravan.client-keys' first key: the clients file cannot take its name.
        Files.writeString(clientsFile, "clients:\n  - name: client-1\n    key: other-key-0123456789\n");

        ReloadOutcome outcome = reloader.reload(ReloadOutcome.Trigger.ADMIN);

        assertEquals(ReloadOutcome.Result.REFUSED, outcome.result());
        assertTrue(outcome.error().startsWith(clientsFile.toString()), outcome.error());
        assertEquals(List.of("a"), names(), "the credentials were not applied either");
        assertEquals(ClientSpec.Origin.SETTINGS, clients.byName("client-1").origin());
    }

    @Test
    void theWatcherAppliesAUsableChangeAtOnceAndRefusesAnUnusableOneOnlyWhenItStaysSo() throws Exception {
        FileWatcher watcher = new FileWatcher(reloader, 1000);
        Files.writeString(credentialsFile, "credentials:\n" + credential("a") + "  - name: [half");

        watcher.check();
        assertEquals(ReloadOutcome.Trigger.STARTUP, reloader.last().trigger(), "a first look refuses nothing");
        assertTrue(heard.isEmpty());

        watcher.check();
        assertEquals(ReloadOutcome.Result.REFUSED, reloader.last().result(), "unusable at the second look too");
        assertEquals(ReloadOutcome.Trigger.WATCH, reloader.last().trigger());
        watcher.check();
        assertEquals(1, heard.size(), "a refused content is tried once");

        Files.writeString(credentialsFile, "credentials:\n" + credential("a") + credential("b"));
        watcher.check();
        assertEquals(ReloadOutcome.Result.APPLIED, reloader.last().result(), "usable: applied at the first look");
        assertEquals(List.of("b"), reloader.last().credentials().added());
        assertEquals(List.of("a", "b"), names());

        Files.writeString(clientsFile, "clients:\n  - name: team\n    key: team-key-0123456789\n");
        watcher.check();
        assertEquals(List.of("team"), reloader.last().clients().added(), "the clients file appearing is a change");
        assertNotNull(clients.byName("team"));
        Files.delete(clientsFile);
        watcher.check();
        assertEquals(List.of("team"), reloader.last().clients().removed(), "and so is its disappearing");
        assertEquals(4, heard.size());
    }
}
