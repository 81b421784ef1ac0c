package io.caravan.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Golden-file support for the dialect plug-ins' translation tests: loads a case from
 * {@code src/test/resources/dialect/<plug-in>/}, pins down generated ids, and compares JSON structurally (field order
 * ignored; 1, 1.0 and 1L are the same number).
 *
 * <p>A case file is an object with {@code input} and {@code expected}, plus whatever the test needs ({@code model},
 * {@code status}, {@code includeUsage}). Stream events are written as {@code {"event": name, "data": object-or-string}},
 * {@code event} omitted for Chat Completions chunks.
 */
public final class GoldenFiles {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.equals(b)) {
            return 0;
        }
        return a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
    };

    private GoldenFiles() {
    }

    /** Ids "prefix + test + n", counting from 1 per generator. */
    public static IdGenerator sequentialIds() {
        AtomicInteger next = new AtomicInteger();
        return prefix -> prefix + "test" + next.incrementAndGet();
    }

    /** The case {@code path} of plug-in {@code plugIn}: {@code /dialect/<plugIn>/<path>.json}. */
    public static JsonNode load(String plugIn, String path) {
        String resource = "/dialect/" + plugIn + "/" + path + ".json";
        try (InputStream in = GoldenFiles.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing golden file " + resource);
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable golden file " + resource, e);
        }
    }

    public static ObjectNode input(JsonNode golden) {
        return (ObjectNode) golden.get("input").deepCopy();
    }

    public static void assertJson(JsonNode expected, JsonNode actual) {
        if (expected == null || !expected.equals(NUMBERS_BY_VALUE, actual)) {
            assertEquals(expected == null ? "(no expected)" : expected.toPrettyString(), actual.toPrettyString());
            fail("JSON differs only in number representation:\n" + expected + "\n" + actual);
        }
    }

    public static List<SseEvent> events(JsonNode goldenEvents) {
        List<SseEvent> events = new ArrayList<>();
        for (JsonNode event : goldenEvents) {
            JsonNode data = event.get("data");
            String name = event.hasNonNull("event") ? event.get("event").textValue() : null;
            events.add(new SseEvent(name, data.isTextual() ? data.textValue() : data.toString()));
        }
        return events;
    }

    /** All events of a stream, then what {@code onEnd} adds. */
    public static List<SseEvent> run(StreamTranslator translator, JsonNode upstreamEvents) {
        List<SseEvent> produced = new ArrayList<>();
        for (SseEvent event : events(upstreamEvents)) {
            produced.addAll(translator.onEvent(event));
        }
        produced.addAll(translator.onEnd());
        return produced;
    }

    /** Events as a golden file writes them: data parsed when it is JSON. */
    public static ArrayNode rendered(List<SseEvent> actual) {
        ArrayNode rendered = MAPPER.createArrayNode();
        for (SseEvent event : actual) {
            ObjectNode node = rendered.addObject();
            if (event.event() != null) {
                node.put("event", event.event());
            }
            JsonNode data;
            try {
                data = MAPPER.readTree(event.data());
            } catch (IOException notJson) {
                data = TextNode.valueOf(event.data());
            }
            node.set("data", data);
        }
        return rendered;
    }

    public static void assertEvents(JsonNode expected, List<SseEvent> actual) {
        assertJson(expected, rendered(actual));
    }
}
