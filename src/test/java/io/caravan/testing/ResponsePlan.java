package io.caravan.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Exactly what to put on the wire for one request, and when.
 *
 * @param status    HTTP status
 * @param headers   response headers
 * @param parts     the body: one JSON document, or one string per stream event
 * @param streaming whether the body is a chunked event stream (each part written and flushed on its own)
 * @param ending    what happens after the last part
 * @param pace      gap between stream parts (zero: back to back)
 * @param delay     wait before the status line
 */
record ResponsePlan(int status, Map<String, String> headers, List<String> parts, boolean streaming, Ending ending,
                    Duration pace, Duration delay) {

    enum Ending {
        /** The response ends normally. */
        END,
        /** The fake closes the TCP connection. */
        DROP,
        /** Nothing more is sent; the connection stays open. */
        STALL,
        /** Not even the status line is sent; the connection stays open. */
        NEVER_ANSWER
    }

    ResponsePlan {
        headers = Map.copyOf(headers);
        parts = List.copyOf(parts);
    }
}
