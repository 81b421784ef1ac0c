package io.caravan.service;

import io.caravan.clients.ClientConflictException;
import io.caravan.clients.ClientKeys;
import io.caravan.clients.ClientLimiter;
import io.caravan.clients.ClientLimits;
import io.caravan.clients.ClientRegistry;
import io.caravan.clients.ClientSpec;
import io.caravan.clients.ModelAllowList;
import io.caravan.usage.StoredClient;
import io.caravan.usage.UsageStore;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The client keys made at run time (origin {@code ADMIN}): kept in the database by their hash only, and live in the
 * {@link ClientRegistry} as soon as they are made. The database is written first, so that a key the gateway answers
 * to is one it will still know after a restart. Changes are made one at a time, so that the database and the
 * registry never disagree about a name. These calls wait for the database: never on the request path.
 */
public final class RuntimeClients {

    private final ClientRegistry registry;
    private final ClientLimiter limiter;
    private final UsageStore store;

    /** @param store {@code null} when no database is configured: then no key can be made at run time */
    public RuntimeClients(ClientRegistry registry, ClientLimiter limiter, UsageStore store) {
        this.registry = registry;
        this.limiter = limiter;
        this.store = store;
    }

    /** The run-time clients a database holds, as the registry takes them at start. */
    public static List<ClientSpec> load(UsageStore store) {
        return store.storedClients().stream().map(RuntimeClients::fromStored).toList();
    }

    public boolean available() {
        return store != null;
    }

    /**
     * Makes a client with a new random key.
     *
     * @return the key: shown this once, kept nowhere
     * @throws ClientConflictException when the name is taken
     */
    public synchronized String create(String name, ModelAllowList models, ClientLimits limits, Instant expires, boolean enabled) {
        String key = ClientKeys.generate();
        ClientSpec client = ClientSpec.withKey(name, key, models, limits, expires, enabled, ClientSpec.Origin.ADMIN);
        if (registry.byName(name) != null) {
            throw new ClientConflictException("a client named '" + name + "' exists already");
        }
        store.saveClient(toStored(client));
        registry.add(client);
        return key;
    }

    /**
     * Replaces a run-time client's models, limits, expiry and switch (its name and key stay).
     *
     * @throws NoSuchElementException when no client has that name
     * @throws ClientConflictException when the client is not one made at run time
     */
    public synchronized ClientSpec update(String name, ModelAllowList models, ClientLimits limits, Instant expires, boolean enabled) {
        ClientSpec old = runtimeClient(name);
        ClientSpec updated = new ClientSpec(name, old.keySha256(), models, limits, expires, enabled, ClientSpec.Origin.ADMIN);
        store.saveClient(toStored(updated));
        registry.replace(name, updated);
        return updated;
    }

    /**
     * Revokes a run-time client's key at once.
     *
     * @throws NoSuchElementException when no client has that name
     * @throws ClientConflictException when the client is not one made at run time
     */
    public synchronized void delete(String name) {
        runtimeClient(name);
        store.deleteClient(name);
        registry.remove(name);
        limiter.forget(name);
    }

    private ClientSpec runtimeClient(String name) {
        ClientSpec client = registry.byName(name);
        if (client == null) {
            throw new NoSuchElementException("No client is named '" + name + "'");
        }
        if (client.origin() != ClientSpec.Origin.ADMIN) {
            throw new ClientConflictException("Client '" + name + "' comes from "
                    + (client.origin() == ClientSpec.Origin.FILE ? "the clients file" : "caravan.client-keys")
                    + "; change it there");
        }
        return client;
    }

    private static StoredClient toStored(ClientSpec client) {
        return new StoredClient(client.name(), client.keySha256(), client.models().patterns(), client.limits().toJson(),
                client.expires() == null ? null : client.expires().toEpochMilli(), client.enabled(),
                System.currentTimeMillis());
    }

    private static ClientSpec fromStored(StoredClient stored) {
        return new ClientSpec(stored.name(), stored.keySha256(), ModelAllowList.of(stored.models()),
                stored.limits() == null ? ClientLimits.NONE : ClientLimits.fromJson(stored.limits()),
                stored.expiresAtMillis() == null ? null : Instant.ofEpochMilli(stored.expiresAtMillis()),
                stored.enabled(), ClientSpec.Origin.ADMIN);
    }
}
