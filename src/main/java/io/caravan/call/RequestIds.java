package io.caravan.call;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids for the access log and the {@code x-request-id} header: unique enough, and cheap to make. */
public final class RequestIds {

    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "req_" + Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextInt() | Integer.MIN_VALUE);
    }
}
