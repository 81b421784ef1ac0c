package io.caravan.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * A provider event stream in wire form, one string per event, split where broken replies cut it.
 *
 * @param opening events before the first content chunk (role chunk, message_start, content_block_start, ping)
 * @param content one event per content chunk
 * @param closing events after the last content chunk, terminator included
 */
record StreamPlan(List<String> opening, List<String> content, List<String> closing) {

    StreamPlan {
        opening = List.copyOf(opening);
        content = List.copyOf(content);
        closing = List.copyOf(closing);
    }

    List<String> all() {
        List<String> events = new ArrayList<>(opening);
        events.addAll(content);
        events.addAll(closing);
        return events;
    }

    /** The opening events and the first {@code chunks} content events. */
    List<String> upTo(int chunks) {
        List<String> events = new ArrayList<>(opening);
        events.addAll(content.subList(0, Math.min(chunks, content.size())));
        return events;
    }
}
