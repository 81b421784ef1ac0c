package io.caravan.clients;

import io.caravan.clients.ClientSpec.Origin;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Every client the gateway knows, from the clients file, the legacy {@code caravan.client-keys} list and the admin
 * API, found by the key a caller presents. Reads are lock-free (they happen on the event loops for every request):
 * the clients are one immutable snapshot behind a volatile field, and every change builds a new snapshot under the
 * registry's lock and publishes it at once, so a reader sees the clients before a change or after it, never half.
 */
public final class ClientRegistry {

    /** The client of an open gateway, one without any key: every caller is it. No client may take this name. */
    public static final String ANYONE = "anyone";
    /** Legacy keys are named by their place in the list, as they always were: {@code client-1}, {@code client-2}... */
    public static final String LEGACY_PREFIX = "client-";

    /**
     * The one client of an open gateway: every model, no limits. Its digest is the empty key's, which no client can
     * have (the file and the settings refuse empty keys) and which is never looked up.
     */
    public static final ClientSpec ANYONE_CLIENT = new ClientSpec(ANYONE, ClientKeys.sha256Hex(""), ModelAllowList.ALL,
            ClientLimits.NONE, null, true, Origin.SETTINGS);

    private volatile Snapshot snapshot;
    /**
     * Open only while no key has existed since the start: once a key was configured or created, removing the last
     * one locks every caller out instead of letting everyone in (a gateway started with keys may listen beyond
     * loopback, which an open one may not).
     */
    private volatile boolean open;

    /**
     * @param fileSpecs the clients file's clients ({@link Origin#FILE})
     * @param legacyKeys {@code caravan.client-keys}: blank entries are skipped; a key given twice is one client
     * @param adminSpecs the clients created at run time, from the database ({@link Origin#ADMIN})
     * @throws ClientConflictException when two clients share a name or a key
     * @throws IllegalArgumentException when a spec's origin is not the one of its list, or one is named {@value #ANYONE}
     */
    public ClientRegistry(List<ClientSpec> fileSpecs, List<String> legacyKeys, List<ClientSpec> adminSpecs) {
        checkOrigin(fileSpecs, Origin.FILE);
        checkOrigin(adminSpecs, Origin.ADMIN);
        List<ClientSpec> all = new ArrayList<>(fileSpecs);
        all.addAll(legacy(legacyKeys));
        all.addAll(adminSpecs);
        this.snapshot = new Snapshot(all);
        this.open = all.isEmpty();
    }

    /** The legacy keys as clients {@code client-1}, {@code client-2}... (numbered among the non-blank keys). */
    public static List<ClientSpec> legacy(List<String> keys) {
        List<ClientSpec> specs = new ArrayList<>();
        Set<String> digests = new HashSet<>();
        int number = 0;
        for (String key : keys) {
            if (key == null || key.isBlank()) {
                continue;
            }
            number++;
            String digest = ClientKeys.sha256Hex(key.trim());
            // The same key listed twice was always one caller; it keeps its first name.
            if (digests.add(digest)) {
                specs.add(new ClientSpec(LEGACY_PREFIX + number, digest, ModelAllowList.ALL, ClientLimits.NONE, null,
                        true, Origin.SETTINGS));
            }
        }
        return specs;
    }

    /** Whether the gateway has no client key at all (and never had one since it started): then every caller is {@link #ANYONE_CLIENT}. */
    public boolean open() {
        return open;
    }

    /**
     * The client whose key is {@code presentedKey} (as the caller sent it, trimmed), {@code null} when none is; on an
     * open gateway {@link #ANYONE_CLIENT} whatever the caller presents. A found client may still be unusable: see
     * {@link ClientSpec#unusableReason}.
     */
    public ClientSpec find(String presentedKey) {
        if (open) {
            return ANYONE_CLIENT;
        }
        if (presentedKey == null) {
            return null;
        }
        // A map lookup by the digest: its timing depends on the digest, which tells an attacker nothing about a key.
        return snapshot.byKey.get(ClientKeys.sha256Hex(presentedKey));
    }

    /** The client named {@code name}, {@code null} when there is none. */
    public ClientSpec byName(String name) {
        return snapshot.byName.get(name);
    }

    /** Every client: the file's, then the legacy keys, then the run-time ones, each in its order. */
    public List<ClientSpec> all() {
        return snapshot.all;
    }

    public int size() {
        return snapshot.all.size();
    }

    /**
     * Adds a client created at run time.
     *
     * @throws ClientConflictException when its name or its key is taken
     * @throws IllegalArgumentException when it is not of origin {@link Origin#ADMIN} or is named {@value #ANYONE}
     */
    public synchronized void add(ClientSpec spec) {
        checkOrigin(List.of(spec), Origin.ADMIN);
        List<ClientSpec> all = new ArrayList<>(snapshot.all);
        all.add(spec);
        publish(new Snapshot(all));
    }

    /**
     * Replaces the run-time client {@code name} by {@code spec} (which may carry another name or key, if they are
     * free), keeping its place in {@link #all()}.
     *
     * @return the client it replaced
     * @throws NoSuchElementException when no client is named {@code name}
     * @throws ClientConflictException when that client is not a run-time one, or the new name or key is taken
     */
    public synchronized ClientSpec replace(String name, ClientSpec spec) {
        checkOrigin(List.of(spec), Origin.ADMIN);
        ClientSpec old = runtimeClient(name);
        List<ClientSpec> all = new ArrayList<>(snapshot.all);
        all.set(all.indexOf(old), spec);
        publish(new Snapshot(all));
        return old;
    }

    /**
     * Removes the run-time client {@code name}.
     *
     * @return the client removed
     * @throws NoSuchElementException when no client is named {@code name}
     * @throws ClientConflictException when that client comes from the clients file or the settings
     */
    public synchronized ClientSpec remove(String name) {
        ClientSpec old = runtimeClient(name);
        List<ClientSpec> all = new ArrayList<>(snapshot.all);
        all.remove(old);
        publish(new Snapshot(all));
        return old;
    }

    /**
     * Swaps the clients file's part for {@code fileSpecs} in one step, keeping the legacy and run-time clients; when
     * the new file clashes with them nothing changes.
     *
     * @return the names of the clients that are gone (their limiter state may be forgotten)
     * @throws ClientConflictException when a new client's name or key is taken by another client
     */
    public synchronized Set<String> reloadFile(List<ClientSpec> fileSpecs) {
        List<ClientSpec> settings = snapshot.all.stream().filter(spec -> spec.origin() == Origin.SETTINGS).toList();
        return swapConfigured(fileSpecs, settings);
    }

    /**
     * Swaps both configured parts, the clients file's and the legacy keys', in one step, keeping the run-time
     * clients; when the new ones clash with those nothing changes.
     *
     * @return the names of the clients that are gone
     * @throws ClientConflictException when a new client's name or key is taken by another client
     */
    public synchronized Set<String> reload(List<ClientSpec> fileSpecs, List<String> legacyKeys) {
        return swapConfigured(fileSpecs, legacy(legacyKeys));
    }

    private Set<String> swapConfigured(List<ClientSpec> fileSpecs, List<ClientSpec> settings) {
        checkOrigin(fileSpecs, Origin.FILE);
        List<ClientSpec> all = new ArrayList<>(fileSpecs);
        all.addAll(settings);
        for (ClientSpec spec : snapshot.all) {
            if (spec.origin() == Origin.ADMIN) {
                all.add(spec);
            }
        }
        Snapshot next = new Snapshot(all);
        Set<String> gone = new HashSet<>(snapshot.byName.keySet());
        gone.removeAll(next.byName.keySet());
        publish(next);
        return Set.copyOf(gone);
    }

    private ClientSpec runtimeClient(String name) {
        ClientSpec old = snapshot.byName.get(name);
        if (old == null) {
            throw new NoSuchElementException("no client is named '" + name + "'");
        }
        if (old.origin() != Origin.ADMIN) {
            throw new ClientConflictException("client '" + name + "' comes from "
                    + (old.origin() == Origin.FILE ? "the clients file" : "caravan.client-keys")
                    + "; change it there");
        }
        return old;
    }

    private void publish(Snapshot next) {
        snapshot = next;
        if (!next.all.isEmpty()) {
            open = false;
        }
    }

    private static void checkOrigin(Collection<ClientSpec> specs, Origin origin) {
        for (ClientSpec spec : specs) {
            if (spec.origin() != origin) {
                throw new IllegalArgumentException("client '" + spec.name() + "' is of origin " + spec.origin()
                        + " where " + origin + " was expected");
            }
            if (ANYONE.equals(spec.name())) {
                throw new IllegalArgumentException("'" + ANYONE + "' names every caller of an open gateway; "
                        + "a client cannot take that name");
            }
        }
    }

    /** The clients at one moment, indexed; never changed once built. */
    private static final class Snapshot {
        final List<ClientSpec> all;
        final Map<String, ClientSpec> byName;
        final Map<String, ClientSpec> byKey;

        Snapshot(List<ClientSpec> specs) {
            Map<String, ClientSpec> names = new LinkedHashMap<>();
            Map<String, ClientSpec> keys = new HashMap<>();
            for (ClientSpec spec : specs) {
                ClientSpec sameName = names.putIfAbsent(spec.name(), spec);
                if (sameName != null) {
                    throw new ClientConflictException("a client named '" + spec.name() + "' exists already ("
                            + describe(sameName.origin()) + ")");
                }
                ClientSpec sameKey = keys.putIfAbsent(spec.keySha256(), spec);
                if (sameKey != null) {
                    throw new ClientConflictException("client '" + spec.name() + "' has the same key as client '"
                            + sameKey.name() + "' (" + describe(sameKey.origin()) + ")");
                }
            }
            this.all = List.copyOf(specs);
            this.byName = Map.copyOf(names);
            this.byKey = Map.copyOf(keys);
        }

        private static String describe(Origin origin) {
            return switch (origin) {
                case FILE -> "in the clients file";
                case SETTINGS -> "from caravan.client-keys";
                case ADMIN -> "created through the admin API";
            };
        }
    }
}
