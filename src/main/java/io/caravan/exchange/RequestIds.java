package io.caravan.exchange;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids for the access log and the {@code x-request-id} header: unique enough, and cheap to make. */
public final class RequestIds {

    /** Random hex digits after the prefix: 96 bits, so that ids never collide in practice. */
    static final int DIGITS = 24;
    static final String PREFIX = "req_";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    /** {@code req_} and {@value #DIGITS} hex digits, each of them random (none fixed by a sign or a leading bit). */
    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[PREFIX.length() + DIGITS];
        PREFIX.getChars(0, PREFIX.length(), id, 0);
        long bits = 0;
        for (int i = 0; i < DIGITS; i++) {
            if (i % 16 == 0) {
                bits = random.nextLong();
            }
            id[PREFIX.length() + i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
        return new String(id);
    }
}
