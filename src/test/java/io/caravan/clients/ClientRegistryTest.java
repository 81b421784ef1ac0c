package io.caravan.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.clients.ClientSpec.Origin;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ClientRegistryTest {

    private static ClientSpec client(String name, String key, Origin origin) {
        return ClientSpec.withKey(name, key, ModelAllowList.ALL, ClientLimits.NONE, null, true, origin);
    }

    private static ClientSpec file(String name, String key) {
        return client(name, key, Origin.FILE);
    }

    private static ClientSpec admin(String name, String key) {
        return client(name, key, Origin.ADMIN);
    }

    @Test
    void aPresentedKeyFindsItsClientAndAnUnknownOneNothing() {
        ClientRegistry registry = new ClientRegistry(List.of(file("team", "team-key"), file("bot", "bot-key")), List.of(),
                List.of(admin("made", "made-key")));

        assertEquals("team", registry.find("team-key").name());
        assertEquals("bot", registry.find("bot-key").name());
        assertEquals("made", registry.find("made-key").name());
        assertNull(registry.find("other-key"));
        assertNull(registry.find("team-key "), "the caller's side trims; the registry compares exactly");
        assertNull(registry.find(null));
        assertFalse(registry.open());
    }

    @Test
    void legacyKeysAreClientsNumberedAsBeforeWithNoLimits() {
        ClientRegistry registry = new ClientRegistry(List.of(), Arrays.asList("first", " ", "second ", null, "first"),
                List.of());

        ClientSpec first = registry.find("first");
        assertEquals("client-1", first.name());
        assertEquals("client-2", registry.find("second").name(), "blank keys are skipped, keys trimmed");
        assertEquals(ClientLimits.NONE, first.limits());
        assertEquals(ModelAllowList.ALL, first.models());
        assertEquals(Origin.SETTINGS, first.origin());
        assertEquals(2, registry.size(), "a key listed twice is one client");
        assertSame(first, registry.byName("client-1"));
    }

    @Test
    void withoutAnyKeyEveryCallerIsAnyone() {
        ClientRegistry registry = new ClientRegistry(List.of(), List.of("", "  "), List.of());

        assertTrue(registry.open());
        assertSame(ClientRegistry.ANYONE_CLIENT, registry.find(null));
        assertSame(ClientRegistry.ANYONE_CLIENT, registry.find("whatever"));
        assertEquals("anyone", registry.find(null).name());
        assertEquals(List.of(), registry.all());
    }

    @Test
    void onceAKeyExistedRemovingTheLastOneLocksCallersOutInsteadOfOpening() {
        ClientRegistry registry = new ClientRegistry(List.of(), List.of(), List.of());
        registry.add(admin("made", "made-key"));
        assertFalse(registry.open());
        assertEquals("made", registry.find("made-key").name());

        registry.remove("made");

        assertFalse(registry.open());
        assertNull(registry.find("made-key"));
        assertNull(registry.find(null));
    }

    @Test
    void allListsTheFileThenTheLegacyKeysThenTheRuntimeClients() {
        ClientRegistry registry = new ClientRegistry(List.of(file("team", "t")), List.of("legacy"),
                List.of(admin("made", "m")));
        assertEquals(List.of("team", "client-1", "made"), registry.all().stream().map(ClientSpec::name).toList());
    }

    @Test
    void addingAClientWhoseNameOrKeyIsTakenIsAConflict() {
        ClientRegistry registry = new ClientRegistry(List.of(file("team", "team-key")), List.of("legacy-key"),
                List.of());

        ClientConflictException name = assertThrows(ClientConflictException.class,
                () -> registry.add(admin("team", "new-key")));
        assertTrue(name.getMessage().contains("'team' exists already (in the clients file)"), name.getMessage());
        assertThrows(ClientConflictException.class, () -> registry.add(admin("client-1", "new-key")));
        ClientConflictException key = assertThrows(ClientConflictException.class,
                () -> registry.add(admin("fresh", "legacy-key")));
        assertTrue(key.getMessage().contains("same key as client 'client-1'"), key.getMessage());
        assertFalse(key.getMessage().contains("legacy-key"), key.getMessage());

        assertEquals(2, registry.size(), "nothing was added");
        assertNull(registry.byName("fresh"));
    }

    @Test
    void onlyRuntimeClientsAreAddedAndNoneIsNamedAnyone() {
        ClientRegistry registry = new ClientRegistry(List.of(), List.of("k"), List.of());
        assertThrows(IllegalArgumentException.class, () -> registry.add(file("team", "t")));
        assertThrows(IllegalArgumentException.class, () -> registry.add(admin("anyone", "t")));
        assertThrows(IllegalArgumentException.class,
                () -> new ClientRegistry(List.of(admin("made", "m")), List.of(), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new ClientRegistry(List.of(), List.of(), List.of(file("team", "t"))));
    }

    @Test
    void startingWithClashingClientsIsAConflict() {
        assertThrows(ClientConflictException.class,
                () -> new ClientRegistry(List.of(file("client-1", "a")), List.of("b"), List.of()));
        assertThrows(ClientConflictException.class,
                () -> new ClientRegistry(List.of(file("team", "same")), List.of(), List.of(admin("made", "same"))));
    }

    @Test
    void aRuntimeClientIsReplacedInPlaceWithAnotherNameOrKey() {
        ClientRegistry registry = new ClientRegistry(List.of(file("team", "t")), List.of(),
                List.of(admin("a", "a-key"), admin("b", "b-key")));

        ClientSpec old = registry.replace("a", admin("a2", "a2-key"));

        assertEquals("a", old.name());
        assertNull(registry.byName("a"));
        assertNull(registry.find("a-key"));
        assertEquals("a2", registry.find("a2-key").name());
        assertEquals(List.of("team", "a2", "b"), registry.all().stream().map(ClientSpec::name).toList());

        ClientSpec disabled = new ClientSpec("b", registry.byName("b").keySha256(), ModelAllowList.of(List.of("gpt-4o")),
                ClientLimits.NONE, null, false, Origin.ADMIN);
        registry.replace("b", disabled);
        assertFalse(registry.find("b-key").enabled(), "the same key may stay");
    }

    @Test
    void replacingOrRemovingWhatIsNotARuntimeClientFails() {
        ClientRegistry registry = new ClientRegistry(List.of(file("team", "t")), List.of("legacy"),
                List.of(admin("a", "a-key"), admin("b", "b-key")));

        assertThrows(NoSuchElementException.class, () -> registry.replace("nobody", admin("nobody", "n")));
        assertThrows(NoSuchElementException.class, () -> registry.remove("nobody"));
        ClientConflictException fromFile = assertThrows(ClientConflictException.class, () -> registry.remove("team"));
        assertTrue(fromFile.getMessage().contains("the clients file"), fromFile.getMessage());
        assertThrows(ClientConflictException.class, () -> registry.remove("client-1"));
        assertThrows(ClientConflictException.class, () -> registry.replace("team", admin("team", "x")));
        assertThrows(ClientConflictException.class, () -> registry.replace("a", admin("b", "a-key")), "name taken");
        assertThrows(ClientConflictException.class, () -> registry.replace("a", admin("a", "b-key")), "key taken");

        assertEquals(4, registry.size());
        assertEquals("a", registry.find("a-key").name());
        assertEquals("b", registry.remove("b").name());
        assertNull(registry.find("b-key"));
    }

    @Test
    void reloadingTheFileSwapsItsClientsAndKeepsTheOthers() {
        ClientRegistry registry = new ClientRegistry(List.of(file("team", "team-key"), file("bot", "bot-key")),
                List.of("legacy"), List.of(admin("made", "made-key")));

        Set<String> gone = registry.reloadFile(List.of(file("team", "team-key-2"), file("new", "new-key")));

        assertEquals(Set.of("bot"), gone);
        assertNull(registry.find("team-key"));
        assertEquals("team", registry.find("team-key-2").name());
        assertEquals("new", registry.find("new-key").name());
        assertNull(registry.find("bot-key"));
        assertEquals("client-1", registry.find("legacy").name());
        assertEquals("made", registry.find("made-key").name());
        assertEquals(List.of("team", "new", "client-1", "made"), registry.all().stream().map(ClientSpec::name).toList());
    }

    @Test
    void reloadingTheFileAndTheLegacyKeysSwapsBothAndKeepsTheRuntimeClients() {
        ClientRegistry registry = new ClientRegistry(List.of(file("team", "team-key")), List.of("one", "two"),
                List.of(admin("made", "made-key")));

        Set<String> gone = registry.reload(List.of(file("team", "team-key")), List.of("three"));

        assertEquals(Set.of("client-2"), gone);
        assertEquals("client-1", registry.find("three").name());
        assertNull(registry.find("one"));
        assertNull(registry.find("two"));
        assertEquals("made", registry.find("made-key").name());
        assertEquals(List.of("team", "client-1", "made"), registry.all().stream().map(ClientSpec::name).toList());
    }

    @Test
    void aReloadThatClashesChangesNothing() {
        ClientRegistry registry = new ClientRegistry(List.of(file("team", "team-key")), List.of(),
                List.of(admin("made", "made-key")));

        assertThrows(ClientConflictException.class, () -> registry.reloadFile(List.of(file("made", "x"))));
        assertThrows(ClientConflictException.class, () -> registry.reloadFile(List.of(file("other", "made-key"))));
        assertThrows(IllegalArgumentException.class, () -> registry.reloadFile(List.of(admin("other", "o"))));

        assertEquals("team", registry.find("team-key").name());
        assertEquals(2, registry.size());
    }

    /**
     * A reader racing a writer that swaps between two files sees one file or the other, whole: its two keys belong
     * to the same generation in every snapshot it reads.
     */
    @Test
    void readersSeeAFileBeforeOrAfterASwapNeverHalf() throws Exception {
        List<ClientSpec> even = List.of(file("a", "a-0"), file("b", "b-0"));
        List<ClientSpec> odd = List.of(file("a", "a-1"), file("b", "b-1"));
        ClientRegistry registry = new ClientRegistry(even, List.of(), List.of());
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<String> torn = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < 20_000 && torn.get() == null; i++) {
                List<ClientSpec> all = registry.all();
                String first = all.get(0).keySha256();
                String second = all.get(1).keySha256();
                boolean generation0 = first.equals(even.get(0).keySha256());
                if (generation0 != second.equals(even.get(1).keySha256())) {
                    torn.set("a snapshot mixed both files at read " + i);
                }
            }
        });
        reader.start();
        start.countDown();
        for (int i = 0; i < 2_000; i++) {
            registry.reloadFile(i % 2 == 0 ? odd : even);
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(reader.isAlive());
        assertNull(torn.get(), torn::get);
    }

    @Test
    void aFoundClientMayBeDisabledOrExpired() {
        Instant now = Instant.parse("2027-01-01T00:00:00Z");
        ClientSpec live = new ClientSpec("a", ClientKeys.sha256Hex("k"), ModelAllowList.ALL, ClientLimits.NONE,
                now.plusMillis(1), true, Origin.FILE);
        ClientSpec expired = new ClientSpec("a", ClientKeys.sha256Hex("k"), ModelAllowList.ALL, ClientLimits.NONE,
                now, true, Origin.FILE);
        ClientSpec disabled = new ClientSpec("a", ClientKeys.sha256Hex("k"), ModelAllowList.ALL, ClientLimits.NONE,
                null, false, Origin.FILE);

        assertNull(live.unusableReason(now));
        assertTrue(live.usable(now));
        assertEquals("the key expired at 2027-01-01T00:00:00Z", expired.unusableReason(now), "expires <= now");
        assertFalse(expired.usable(now));
        assertEquals("the key is disabled", disabled.unusableReason(now));
    }

    @Test
    void aSpecNeverShowsItsDigestAndChecksItsNameAndDigest() {
        ClientSpec spec = file("team", "team-key");
        assertFalse(spec.toString().contains(spec.keySha256()), spec.toString());
        assertTrue(spec.toString().contains("team"), spec.toString());
        assertThrows(IllegalArgumentException.class, () -> file("team one", "k"));
        assertThrows(IllegalArgumentException.class, () -> file("", "k"));
        assertThrows(IllegalArgumentException.class, () -> new ClientSpec("a", "abc", ModelAllowList.ALL,
                ClientLimits.NONE, null, true, Origin.FILE));
    }
}
