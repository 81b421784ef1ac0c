package io.caravan.reload;

import io.caravan.config.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One configuration file's content as read once: parsed from this text, and compared with the next read by its
 * hash, so that what is applied is exactly what was hashed.
 *
 * @param present whether the file exists
 * @param text its content, empty when it does not exist
 * @param sha256 the content's hash, {@link #ABSENT} when it does not exist
 */
public record ConfigFileVersion(Path path, boolean present, String text, String sha256) {

    /** The hash of a file that does not exist: appearing or disappearing is a change like any other. */
    public static final String ABSENT = "absent";

    /** Reads the file now (a relative path is the working directory's, which does not change). */
    public static ConfigFileVersion read(Path path) {
        if (!Files.exists(path)) {
            return new ConfigFileVersion(path, false, "", ABSENT);
        }
        try {
            byte[] bytes = Files.readAllBytes(path);
            return new ConfigFileVersion(path, true, new String(bytes, StandardCharsets.UTF_8), sha256(bytes));
        } catch (NoSuchFileException removedMeanwhile) {
            return new ConfigFileVersion(path, false, "", ABSENT);
        } catch (IOException e) {
            throw new ConfigurationException(path + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Only the path and the hash: the text may hold keys. */
    @Override
    public String toString() {
        return "ConfigFileVersion[" + path + ", " + (present ? sha256 : ABSENT) + "]";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }
}
