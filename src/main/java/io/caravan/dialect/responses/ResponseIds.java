package io.caravan.dialect.responses;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes the ids the Responses API has and Chat Completions does not: the response's ({@code resp_}), each output
 * item's ({@code msg_}, {@code fc_}). Injectable so tests get predictable ids.
 */
@FunctionalInterface
public interface ResponseIds {

    /** A fresh id starting with {@code prefix}. */
    String newId(String prefix);

    /** Random ids: the prefix and 32 hexadecimal characters, shaped like OpenAI's own. */
    static ResponseIds random() {
        return prefix -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            StringBuilder id = new StringBuilder(prefix.length() + 32).append(prefix);
            for (int i = 0; i < 32; i++) {
                id.append(Character.forDigit(random.nextInt(16), 16));
            }
            return id.toString();
        };
    }
}
