package io.caravan.reload;

import io.caravan.clients.ClientConflictException;
import io.caravan.clients.ClientLimiter;
import io.caravan.clients.ClientRegistry;
import io.caravan.clients.ClientSpec;
import io.caravan.config.ClientsFile;
import io.caravan.config.ConfigurationException;
import io.caravan.config.CredentialsConfig;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.CredentialSpec;
import io.caravan.pool.PoolChange;
import io.caravan.routing.RoutingTable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the credentials file and the clients file and applies both, or neither: a file that does not parse or
 * validate is refused whole and the configuration in use stays. Files whose content is what is applied already are
 * left alone ({@code unchanged}).
 *
 * <p>A credentials file that disappears is refused: an operator who moves it away, or an editor that replaces it
 * by renaming, does not mean to stop every request (write {@code credentials: []} to remove every credential). A
 * clients file that disappears means no file clients, as at start: its keys stop working.
 */
public final class ConfigReloader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final CredentialSource credentialSource;
    private final Path credentialsFile;
    private final Path clientsFile;
    private final PropertiesComponent properties;
    private final CredentialPool pool;
    private final RoutingTable routing;
    private final ClientRegistry clients;
    private final ClientLimiter limiter;
    private final List<Consumer<ReloadOutcome>> listeners = new CopyOnWriteArrayList<>();
    /** The hashes of the files applied last (at start, or by the last applied reload). */
    private String appliedCredentials;
    private String appliedClients;
    /** The hashes of the files tried last, applied or refused: the watcher tries each content once. */
    private String triedCredentials;
    private String triedClients;
    /** A refusal is logged once, not at every request to reload the same broken file. */
    private String loggedError;
    private volatile ReloadOutcome last;

    /**
     * @param credentialsAtStart the credentials file as the gateway read it to build the pool it started with
     * @param clientsAtStart the clients file as the gateway read it to build the clients it started with
     */
    public ConfigReloader(CredentialSource credentialSource, PropertiesComponent properties, CredentialPool pool,
            RoutingTable routing, ClientRegistry clients, ClientLimiter limiter, ConfigFileVersion credentialsAtStart,
            ConfigFileVersion clientsAtStart) {
        this.credentialSource = credentialSource;
        this.credentialsFile = credentialsAtStart.path();
        this.clientsFile = clientsAtStart.path();
        this.properties = properties;
        this.pool = pool;
        this.routing = routing;
        this.clients = clients;
        this.limiter = limiter;
        this.appliedCredentials = credentialsAtStart.sha256();
        this.appliedClients = clientsAtStart.sha256();
        this.triedCredentials = appliedCredentials;
        this.triedClients = appliedClients;
        List<String> credentialNames = pool.credentials().stream().map(c -> c.name()).toList();
        List<String> clientNames = fileClients().stream().map(ClientSpec::name).toList();
        this.last = new ReloadOutcome(Instant.now(), ReloadOutcome.Trigger.STARTUP, ReloadOutcome.Result.APPLIED,
                null, new NameChanges(credentialNames, List.of(), List.of()),
                new NameChanges(clientNames, List.of(), List.of()));
    }

    public Path credentialsFile() {
        return credentialsFile;
    }

    public Path clientsFile() {
        return clientsFile;
    }

    /** The last reload's outcome; the start's until anything was reloaded. */
    public ReloadOutcome last() {
        return last;
    }

    /** Hears every outcome after this call, on the thread that reloaded (the watcher's, or an admin request's). */
    public void addListener(Consumer<ReloadOutcome> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Reads both files now and applies them, unless they are what is applied already or one of them is unusable. */
    public ReloadOutcome reload(ReloadOutcome.Trigger trigger) {
        ConfigFileVersion credentials;
        ConfigFileVersion clientsVersion;
        try {
            credentials = ConfigFileVersion.read(credentialsFile);
            clientsVersion = ConfigFileVersion.read(clientsFile);
        } catch (ConfigurationException unreadable) {
            return publish(refusal(trigger, unreadable.getMessage()));
        }
        return reload(trigger, credentials, clientsVersion);
    }

    /** Applies the files as read, or refuses them (then the configuration in use stays). */
    ReloadOutcome reload(ReloadOutcome.Trigger trigger, ConfigFileVersion credentials,
            ConfigFileVersion clientsVersion) {
        ReloadOutcome outcome;
        synchronized (this) {
            outcome = applyOrRefuse(trigger, credentials, clientsVersion, false);
        }
        return publish(outcome);
    }

    /**
     * Applies the files as read if they are usable; if not, does nothing and answers {@code null} (the watcher gives
     * a file that may be half written another look before it reports the refusal).
     */
    ReloadOutcome reloadIfUsable(ReloadOutcome.Trigger trigger, ConfigFileVersion credentials,
            ConfigFileVersion clientsVersion) {
        ReloadOutcome outcome;
        synchronized (this) {
            outcome = applyOrRefuse(trigger, credentials, clientsVersion, true);
        }
        return outcome == null ? null : publish(outcome);
    }

    /** Whether these contents were tried already (applied, found unchanged, or refused). */
    synchronized boolean tried(ConfigFileVersion credentials, ConfigFileVersion clientsVersion) {
        return credentials.sha256().equals(triedCredentials) && clientsVersion.sha256().equals(triedClients);
    }

    private ReloadOutcome applyOrRefuse(ReloadOutcome.Trigger trigger, ConfigFileVersion credentials,
            ConfigFileVersion clientsVersion, boolean quietlyIfUnusable) {
        if (credentials.sha256().equals(appliedCredentials) && clientsVersion.sha256().equals(appliedClients)) {
            markTried(credentials, clientsVersion);
            loggedError = null;
            return new ReloadOutcome(Instant.now(), trigger, ReloadOutcome.Result.UNCHANGED, null, NameChanges.NONE,
                    NameChanges.NONE);
        }
        CredentialsConfig credentialsConfig;
        List<ClientSpec> clientSpecs;
        try {
            if (!credentials.present()) {
                throw new ConfigurationException(credentials.path() + ": the credentials file is gone; the "
                        + "credentials in use stay (write 'credentials: []' to remove them all)");
            }
            credentialsConfig = credentialSource.config(credentials);
            clientSpecs = clientsVersion.present()
                    ? ClientsFile.parse(clientsVersion.path().toString(), clientsVersion.text(), properties)
                    : List.of();
        } catch (ConfigurationException unusable) {
            if (quietlyIfUnusable) {
                return null;
            }
            markTried(credentials, clientsVersion);
            return refusal(trigger, unusable.getMessage());
        }
        markTried(credentials, clientsVersion);
        List<ClientSpec> oldClients = fileClients();
        Set<String> goneClients;
        try {
            // First what can still refuse (a name or key another client has): then nothing was changed yet.
            goneClients = clients.reloadFile(clientSpecs);
        } catch (ClientConflictException clash) {
            return refusal(trigger, clientsVersion.path() + ": " + clash.getMessage());
        }
        goneClients.forEach(limiter::forget);
        PoolChange poolChange = pool.reload(credentialsConfig.credentials(), credentialsConfig.selection());
        routing.update(credentialsConfig.fallbacks(), credentialsConfig.payloadRules());
        appliedCredentials = credentials.sha256();
        appliedClients = clientsVersion.sha256();
        loggedError = null;
        NameChanges clientChanges = changes(oldClients, clientSpecs);
        LOG.info("Configuration reloaded ({}): credentials added {}, removed {}, changed {}; clients added {}, "
                        + "removed {}, changed {}", trigger.id(), poolChange.added(), poolChange.removed(),
                poolChange.changed(), clientChanges.added(), clientChanges.removed(), clientChanges.changed());
        return new ReloadOutcome(Instant.now(), trigger, ReloadOutcome.Result.APPLIED, null, NameChanges.of(poolChange),
                clientChanges);
    }

    private void markTried(ConfigFileVersion credentials, ConfigFileVersion clientsVersion) {
        triedCredentials = credentials.sha256();
        triedClients = clientsVersion.sha256();
    }

    private ReloadOutcome refusal(ReloadOutcome.Trigger trigger, String error) {
        synchronized (this) {
            if (!error.equals(loggedError)) {
                LOG.warn("Configuration reload refused, the configuration in use stays: {}", error);
                loggedError = error;
            }
        }
        return new ReloadOutcome(Instant.now(), trigger, ReloadOutcome.Result.REFUSED, error, NameChanges.NONE,
                NameChanges.NONE);
    }

    private ReloadOutcome publish(ReloadOutcome outcome) {
        last = outcome;
        for (Consumer<ReloadOutcome> listener : listeners) {
            try {
                listener.accept(outcome);
            } catch (RuntimeException e) {
                LOG.warn("A reload listener failed: {}", e.toString());
            }
        }
        return outcome;
    }

    private List<ClientSpec> fileClients() {
        return clients.all().stream().filter(spec -> spec.origin() == ClientSpec.Origin.FILE).toList();
    }

    private static NameChanges changes(List<ClientSpec> before, List<ClientSpec> after) {
        Map<String, ClientSpec> old = new LinkedHashMap<>();
        before.forEach(spec -> old.put(spec.name(), spec));
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (ClientSpec spec : after) {
            ClientSpec was = old.remove(spec.name());
            if (was == null) {
                added.add(spec.name());
            } else if (!was.equals(spec)) {
                changed.add(spec.name());
            }
        }
        return new NameChanges(added, new ArrayList<>(old.keySet()), changed);
    }
}
