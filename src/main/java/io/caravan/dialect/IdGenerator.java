package io.caravan.dialect;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes the ids a translator must invent when the upstream gave none (a message id, a tool call id, a response id).
 * Injectable so tests get predictable ids.
 */
@FunctionalInterface
public interface IdGenerator {

    /** A fresh id starting with {@code prefix}, for example {@code msg_} or {@code call_}. */
    String newId(String prefix);

    /** Random ids: the prefix and 24 base-62 characters, shaped like the providers' own ids. */
    static IdGenerator random() {
        return prefix -> {
            String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
            ThreadLocalRandom random = ThreadLocalRandom.current();
            StringBuilder id = new StringBuilder(prefix.length() + 24).append(prefix);
            for (int i = 0; i < 24; i++) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return id.toString();
        };
    }
}
