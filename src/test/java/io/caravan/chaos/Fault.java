package io.caravan.chaos;

import java.util.List;
import java.util.Random;

/**
 * How a {@link ChaosUpstream} answers a completion request. Each fault is what real providers (or the proxies and
 * load balancers in front of them) have been seen to do; the gateway must turn every one into either a correct
 * answer from another credential or a clean error in the caller's dialect.
 */
enum Fault {
    /** A correct answer, streamed or whole. */
    HEALTHY,
    /** 500 or 503 (Anthropic: 500 or 529) with the provider's error JSON. */
    SERVER_ERROR,
    /** 429 with {@code retry-after: 1} and the provider's rate-limit reset header. */
    RATE_LIMITED,
    /** The connection is reset after the request was read, before any response byte. */
    RESET_BEFORE_HEADERS,
    /** The request is read and never answered; the connection stays open until the gateway gives up. */
    HANG,
    /** A correct answer whose response head comes only after longer than the gateway's first-byte time-out. */
    SLOW_HEADERS,
    /** A 200 whose body breaks off with a connection reset (a stream after a few events, a whole answer halfway). */
    MID_STREAM_DROP,
    /**
     * A 200 that ends properly at the HTTP level but too early: a stream without its final event
     * ({@code finish_reason} / {@code [DONE]}, {@code message_delta} / {@code message_stop}), a whole answer whose
     * JSON stops halfway.
     */
    CLEAN_EARLY_END,
    /** A 200 whose body is an HTML login page (with {@code text/html}, or for streams sometimes as an event stream). */
    GARBAGE_200,
    /**
     * A 200 larger than the gateway holds: a whole answer of {@link ChaosUpstream#HUGE_BYTES}, or a stream with one
     * event that size; otherwise well-formed, so a gateway without bounds relays it as a success.
     */
    HUGE_BODY,
    /** A 200 stream (or whole answer) whose one line never ends: bytes without a newline until the gateway leaves. */
    ENDLESS_LINE,
    /** Any of the above, drawn per request from a Random seeded by the upstream's seed and the request. */
    MIXED;

    private static final List<Fault> DRAWN = List.of(values()).subList(0, MIXED.ordinal());

    /** The fault a {@link #MIXED} upstream applies to one request (fixed faults apply themselves). */
    Fault resolve(Random random) {
        return this == MIXED ? DRAWN.get(random.nextInt(DRAWN.size())) : this;
    }
}
