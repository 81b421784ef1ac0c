package io.caravan.dialect;


/**
 * The in-band errors a translated stream ends with when the upstream's stream itself is at fault. They are worded
 * as the same-dialect relay words them, so a caller reads the same error whichever kind of credential served it;
 * the status is 502 because the gateway got a bad answer from its upstream. Every dialect's stream translator words
 * these faults with them.
 */
public final class UpstreamStreamFaults {

    public static final int STATUS = 502;
    public static final String ENDED_EARLY = "The upstream ended the stream before the answer was complete";
    public static final String MALFORMED_EVENT = "The upstream sent a stream event that is not valid JSON";

    private UpstreamStreamFaults() {
    }

    /** The upstream's response ended (or it sent its terminator) before the answer was finished. */
    public static SseEvent endedEarly(Dialect caller, String requestId) {
        return DialectErrors.streamEvent(caller, STATUS, ENDED_EARLY, requestId);
    }

    /**
     * An event whose data is not a JSON object: the answer has lost a piece it cannot get back. The data itself is
     * not quoted, since it can be anything (an HTML page, a fragment of another event).
     */
    public static SseEvent malformedEvent(Dialect caller, String requestId) {
        return DialectErrors.streamEvent(caller, STATUS, MALFORMED_EVENT, requestId);
    }
}
