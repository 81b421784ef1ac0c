package io.caravan.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a request names its session: the first of the configured headers it carries, else the first of the
 * configured body fields it has ({@code caravan.affinity.headers}, {@code caravan.affinity.body-fields}). A body field
 * is a dotted path into the request's JSON object ({@code metadata.user_id}) that must end at a non-blank string.
 */
public final class SessionKeySource {

    /** Names no session: what a gateway with session affinity turned off reads. */
    public static final SessionKeySource NONE = new SessionKeySource(List.of(), List.of());

    /**
     * Session values longer than this are kept as their digest: a session field is caller input of any size, and
     * the affinity map holds up to {@code caravan.affinity.max-sessions} of them.
     */
    static final int MAX_KEPT_LENGTH = 256;

    private final String[] headers;
    private final String[][] bodyPaths;

    /**
     * @param headers header names, in the order they are tried (case does not matter)
     * @param bodyFields dotted paths into the body, tried after the headers, in order
     * @throws IllegalArgumentException for a blank header name or a path with an empty segment
     */
    public SessionKeySource(List<String> headers, List<String> bodyFields) {
        List<String> names = new ArrayList<>();
        for (String header : headers) {
            if (header.isBlank()) {
                throw new IllegalArgumentException("a session header name is empty");
            }
            names.add(header.trim().toLowerCase(Locale.ROOT));
        }
        this.headers = names.toArray(String[]::new);
        this.bodyPaths = new String[bodyFields.size()][];
        for (int i = 0; i < bodyFields.size(); i++) {
            String field = bodyFields.get(i).trim();
            String[] segments = field.split("\\.", -1);
            for (String segment : segments) {
                if (segment.isEmpty()) {
                    throw new IllegalArgumentException("the session body field '" + field + "' has an empty part");
                }
            }
            bodyPaths[i] = segments;
        }
    }

    /**
     * The session a request names, scoped to its client; {@code null} when it names none.
     *
     * @param client the name of the client key the caller presented
     * @param header the caller's header of a name, {@code null} when absent
     * @param json the request's body
     */
    public SessionKey keyOf(String client, Function<String, String> header, Map<String, Object> json) {
        String session = sessionOf(header, json);
        if (session == null) {
            return null;
        }
        return SessionKey.of(client, session.length() > MAX_KEPT_LENGTH ? SessionKey.sha256Hex(session) : session);
    }

    private String sessionOf(Function<String, String> header, Map<String, Object> json) {
        for (String name : headers) {
            String value = header.apply(name);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        for (String[] path : bodyPaths) {
            Object value = json;
            for (String segment : path) {
                value = value instanceof Map<?, ?> object ? object.get(segment) : null;
            }
            if (value instanceof String text && !text.isBlank()) {
                return text;
            }
        }
        return null;
    }
}
