package io.caravan.usage;

import io.caravan.support.KeyRedactor;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a database failure into one line a human may read: the drivers' messages, with the password and the raw
 * URL (which may hold user info and parameters) masked.
 */
final class ErrorMasking {

    private static final int MAX_CAUSES = 10;

    private final String url;
    private final String display;
    private final List<KeyRedactor> redactors = new ArrayList<>();

    ErrorMasking(StoreSettings settings) {
        this.url = settings.url();
        this.display = DatabaseUrl.display(settings.url());
        redactors.add(KeyRedactor.of(settings.password()));
        redactors.add(KeyRedactor.of(DatabaseUrl.embeddedPassword(settings.url())));
    }

    /**
     * The message of the failure's deepest cause (the driver's own words: "connection refused", "database is
     * locked"; the layers above it, pool and migrations, add only their frames), its first real line, masked.
     */
    String describe(Throwable failure) {
        Throwable deepest = failure;
        for (int depth = 0; depth < MAX_CAUSES && deepest.getCause() != null; depth++) {
            deepest = deepest.getCause();
        }
        String message = firstLine(deepest.getMessage());
        if (message == null && deepest != failure) {
            message = firstLine(failure.getMessage());
        }
        return mask(message == null ? deepest.getClass().getSimpleName() : message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return null;
        }
        for (String line : message.split("\\R")) {
            String text = line.strip();
            if (!text.isEmpty() && !text.chars().allMatch(c -> c == '-')) {
                return text;
            }
        }
        return null;
    }

    String mask(String text) {
        String masked = text.replace(url, display);
        for (KeyRedactor redactor : redactors) {
            masked = redactor.redact(masked);
        }
        return masked.replaceAll("\\s+", " ");
    }
}
