package io.caravan.upstream;

import io.caravan.pool.Credential;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * One request to send to one upstream credential, complete: built from the caller's request by the bridge, sent as
 * it is by {@link UpstreamClient}.
 *
 * @param path the path below the credential's base URL
 * @param headers every header to send, already decided by {@link UpstreamHeaderPolicy}
 * @param body in the credential's dialect
 * @param stream whether an event stream is asked for: its first-byte clock runs to the first event, and no
 *     whole-answer clock runs
 * @param deadlineStartNanos when the caller's request arrived ({@link System#nanoTime()}): the request deadline,
 *     which bounds the answer's time-out, counts from here
 */
public record UpstreamRequest(Credential credential, String path, MultiMap headers, Buffer body, boolean stream,
        long deadlineStartNanos) {
}
