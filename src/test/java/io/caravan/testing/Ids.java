package io.caravan.testing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random identifiers shaped like the ones the real providers hand out. Not for secrets: {@code SecureRandom} can
 * take a second to seed in a container, which would stall the first reply.
 */
final class Ids {

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private Ids() {
    }

    /** A request id as Anthropic spells them; used for OpenAI's {@code x-request-id} too. */
    static String requestId() {
        return random("req_011C", 20);
    }

    /** {@code prefix} followed by {@code length} random letters and digits. */
    static String random(String prefix, int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(prefix.length() + length).append(prefix);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return sb.toString();
    }
}
