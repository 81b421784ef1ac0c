package io.caravan.relay;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.StreamFraming;

/** What a stream relay needs of the request it serves, and nothing of how the request is routed or leased. */
public interface RelayedCall {

    String requestId();

    /** When the request arrived ({@link System#nanoTime()}): its deadline counts from here. */
    long startNanos();

    /** The caller's dialect: in-band errors and the stream's end are written in it. */
    Dialect dialect();

    /** Where the stream goes. */
    CallerChannel channel();

    /** How the stream's events are framed on the caller's connection. */
    StreamFraming streamFraming();

    /** Whether the first byte of the answer reached the caller: from then on the attempt cannot change. */
    boolean committed();

    void markFirstByte();

    boolean callerGone();

    /** Runs {@code listener} when the caller goes away (at once if it already has). */
    void onCallerGone(Runnable listener);
}
