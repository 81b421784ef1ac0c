package io.caravan.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The store's three bounds, count, bytes and age, each dropping the oldest answers first. */
class ResponseStoreTest {

    private final AtomicLong now = new AtomicLong();

    private static byte[] bytes(int n) {
        return "x".repeat(n).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pastTheCountTheOldestAnswerIsDropped() {
        ResponseStore store = new ResponseStore(2, 1 << 20, Duration.ofMinutes(5), now::get);
        store.put("a", "c", null, bytes(10), bytes(10));
        store.put("b", "c", "cred", bytes(10), null);
        store.put("c", "c", null, bytes(10), bytes(10));

        assertNull(store.find("a", "c"));
        assertEquals("cred", store.find("b", "c").credential());
        assertNotNull(store.find("c", "c"));
        assertEquals(2, store.size());
    }

    @Test
    void pastTheBytesTheOldestAnswersAreDroppedAndOneTooLargeIsNeverKept() {
        ResponseStore store = new ResponseStore(100, 1000, Duration.ofMinutes(5), now::get);
        store.put("a", "c", null, bytes(400), null);
        store.put("b", "c", null, bytes(400), null);
        store.put("c", "c", null, bytes(400), null);

        assertNull(store.find("a", "c"));
        assertNotNull(store.find("b", "c"));
        assertTrue(store.bytes() <= 1000, String.valueOf(store.bytes()));

        store.put("huge", "c", null, bytes(2000), null);
        assertNull(store.find("huge", "c"));
        assertNotNull(store.find("c", "c"), "a refused answer drops nothing");
    }

    @Test
    void anAnswerExpiresAfterItsTimeAndDeleteForgetsIt() {
        ResponseStore store = new ResponseStore(100, 1 << 20, Duration.ofSeconds(60), now::get);
        store.put("old", "c", null, bytes(10), null);
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        store.put("young", "c", null, bytes(10), null);
        now.addAndGet(Duration.ofSeconds(31).toNanos());

        assertNull(store.find("old", "c"));
        assertNotNull(store.find("young", "c"));
        assertTrue(store.delete("young", "c"));
        assertFalse(store.delete("young", "c"));
        assertEquals(0, store.bytes());
    }

    @Test
    void replacingAnAnswerCountsItsBytesOnce() {
        ResponseStore store = new ResponseStore(100, 1 << 20, Duration.ofMinutes(5), now::get);
        store.put("a", "c", null, bytes(100), null);
        long once = store.bytes();
        store.put("a", "c", null, bytes(100), null);
        assertEquals(once, store.bytes());
        assertEquals(1, store.size());
    }

    @Test
    void anotherClientFindsNothingAndCannotDelete() {
        ResponseStore store = new ResponseStore(100, 1 << 20, Duration.ofMinutes(5), now::get);
        store.put("a", "c", null, bytes(10), null);

        assertNull(store.find("a", "other"));
        assertFalse(store.delete("a", "other"));
        assertNotNull(store.find("a", "c"));
    }

    @Test
    void zeroEntriesKeepsNothing() {
        ResponseStore store = new ResponseStore(0, 1 << 20, Duration.ofMinutes(5), now::get);
        store.put("a", "c", null, bytes(1), null);
        assertNull(store.find("a", "c"));
    }
}
