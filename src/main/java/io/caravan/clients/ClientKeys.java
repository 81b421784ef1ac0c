package io.caravan.clients;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Client keys: new random ones, and the SHA-256 digest that is all the gateway keeps of any key. */
public final class ClientKeys {

    /** Marks a key as one of this gateway's, so that a leaked one is recognisable in a secret scanner. */
    public static final String PREFIX = "cvn-";
    private static final int RANDOM_BYTES = 32;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One digest per thread: looking one up by name costs more than hashing a key, on every request. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });

    private ClientKeys() {
    }

    /** A new key: {@value #PREFIX} and 32 random bytes in unpadded base64url (47 characters in all). */
    public static String generate() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SHA-256 digest of the key's UTF-8 bytes, as 64 lower-case hex digits. */
    public static String sha256Hex(String key) {
        return HEX.formatHex(sha256(key));
    }

    public static byte[] sha256(String key) {
        // digest() resets the instance, so the next call on this thread starts clean.
        return SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code text} is a SHA-256 digest in hex (either case). */
    public static boolean isSha256Hex(String text) {
        return text != null && SHA256_HEX.matcher(text).matches();
    }
}
