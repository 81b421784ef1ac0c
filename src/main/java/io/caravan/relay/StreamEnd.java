package io.caravan.relay;

/** How a stream that had started reaching the caller ended. */
public enum StreamEnd {
    /** The upstream finished and the caller got the whole answer. */
    COMPLETED,
    /** The upstream broke off or stalled; the caller got an in-band error. */
    UPSTREAM_FAILED,
    /** The caller went away; the upstream call was aborted. */
    CALLER_GONE
}
