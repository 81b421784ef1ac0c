package io.caravan.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A field of a JSON request named by its object keys joined with dots ({@code generationConfig.maxOutputTokens}). A
 * path goes through objects only: it never indexes into an array, and a path that meets an array or a value where it
 * needs an object names no field of that request. A key holding a dot or a backslash writes it escaped with a
 * backslash ({@code a\.b} is the one key {@code a.b}).
 *
 * <p>Changes copy each object on the way down before changing it: a request tree may share parts with the tree it
 * was translated from, which later attempts translate again, and a rule's values are shared by every request.
 */
public final class FieldPath {

    private static final char SEPARATOR = '.';
    private static final char ESCAPE = '\\';

    private final String text;
    private final String[] keys;

    private FieldPath(String text, String[] keys) {
        this.text = text;
        this.keys = keys;
    }

    /**
     * @throws IllegalArgumentException for an empty path, an empty key ({@code a..b}, a leading or trailing dot) or
     *                                  a backslash that escapes neither a dot nor a backslash
     */
    public static FieldPath parse(String text) {
        List<String> keys = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ESCAPE) {
                char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
                if (next != SEPARATOR && next != ESCAPE) {
                    throw new IllegalArgumentException("in the field path '" + text
                            + "' a backslash must escape a dot or a backslash");
                }
                key.append(next);
                i++;
            } else if (c == SEPARATOR) {
                keys.add(nonEmptyKey(text, key));
                key.setLength(0);
            } else {
                key.append(c);
            }
        }
        keys.add(nonEmptyKey(text, key));
        return new FieldPath(text, keys.toArray(String[]::new));
    }

    private static String nonEmptyKey(String text, StringBuilder key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException(text.isEmpty() ? "a field path is empty"
                    : "the field path '" + text + "' has an empty key (a leading, trailing or doubled dot)");
        }
        return key.toString();
    }

    /** The first key: the top-level field the path is in. */
    public String topLevelKey() {
        return keys[0];
    }

    /** The value at this path, or {@code null} when the request has no such field (or it is JSON {@code null}). */
    public JsonNode get(ObjectNode root) {
        JsonNode node = root;
        for (String key : keys) {
            if (!(node instanceof ObjectNode object)) {
                return null;
            }
            node = object.get(key);
        }
        return node == null || node.isNull() ? null : node;
    }

    /**
     * Sets the value, making the objects on the way that are missing (or {@code null}).
     *
     * @return false, and nothing changed, when an object on the way is an array or a value
     */
    public boolean set(ObjectNode root, JsonNode value) {
        ObjectNode parent = writableParent(root, true);
        if (parent == null) {
            return false;
        }
        parent.set(keys[keys.length - 1], value);
        return true;
    }

    /** Takes the field out; false, and nothing changed, when the request has no such field. */
    public boolean remove(ObjectNode root) {
        if (!present(root)) {
            return false;
        }
        writableParent(root, false).remove(keys[keys.length - 1]);
        return true;
    }

    private boolean present(ObjectNode root) {
        JsonNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            node = node.get(keys[i]);
            if (!(node instanceof ObjectNode)) {
                return false;
            }
        }
        return node.has(keys[keys.length - 1]);
    }

    /**
     * The object holding the last key, each object on the way replaced by a copy of itself in its parent (and made
     * where missing when {@code make}); {@code null} when the way is blocked.
     */
    private ObjectNode writableParent(ObjectNode root, boolean make) {
        ObjectNode parent = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = parent.get(keys[i]);
            ObjectNode copy;
            if (child instanceof ObjectNode object) {
                copy = JsonNodeFactory.instance.objectNode();
                copy.setAll(object);
            } else if ((child == null || child.isNull()) && make) {
                copy = JsonNodeFactory.instance.objectNode();
            } else {
                return null;
            }
            parent.set(keys[i], copy);
            parent = copy;
        }
        return parent;
    }

    /** The path as written in the file. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldPath path && Arrays.equals(path.keys, keys);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keys);
    }
}
