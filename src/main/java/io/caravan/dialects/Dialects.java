package io.caravan.dialects;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.anthropic.AnthropicDialect;
import io.caravan.dialect.gemini.GeminiDialect;
import io.caravan.dialect.openai.OpenAiDialect;
import io.caravan.dialect.responses.ResponsesDialect;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The dialects this gateway speaks: the one list a new dialect plug-in is added to. Kept apart from the plug-in
 * interface ({@code io.caravan.dialect}) so that the interface knows none of its implementations.
 */
public final class Dialects {

    /** The common model every translation goes through, and the dialect of a request no other one recognises. */
    public static final Dialect OPENAI = OpenAiDialect.INSTANCE;
    public static final Dialect ANTHROPIC = AnthropicDialect.INSTANCE;
    /** Another API of OpenAI: served by the {@code openai} credentials that list it, or by translation. */
    public static final Dialect RESPONSES = ResponsesDialect.INSTANCE;
    /** Google's Gemini API, whose paths name the model. */
    public static final Dialect GEMINI = GeminiDialect.INSTANCE;

    /** The registration: one line per dialect. */
    private static final List<Dialect> ALL = List.of(
            OPENAI,
            ANTHROPIC,
            RESPONSES,
            GEMINI);

    private Dialects() {
    }

    /** Every registered dialect, in registration order. */
    public static List<Dialect> all() {
        return ALL;
    }

    /** The dialect's position in {@link #all()}: a small number, for bit sets of dialects. */
    public static int index(Dialect dialect) {
        for (int i = 0; i < ALL.size(); i++) {
            if (ALL.get(i) == dialect) {
                return i;
            }
        }
        throw new IllegalArgumentException("dialect " + dialect.id() + " is not registered");
    }

    /** The dialect configured as {@code kind: <id>} (case-insensitive): one a credential can be of. */
    public static Dialect fromId(String id) {
        for (Dialect d : ALL) {
            if (d.servesCredentials() && d.id().equalsIgnoreCase(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + id + "' (expected one of: " + ids() + ")");
    }

    /** The API named {@code name} in an {@code apis:} list that a credential of {@code kind} can serve, or {@code null}. */
    public static Dialect api(Dialect kind, String name) {
        for (Dialect d : ALL) {
            if (d.credentialKind() == kind && d.apiName().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** The APIs a credential of {@code kind} can serve, its own first. */
    public static List<Dialect> apisOf(Dialect kind) {
        List<Dialect> apis = new ArrayList<>();
        for (Dialect d : ALL) {
            if (d.credentialKind() == kind) {
                apis.add(d);
            }
        }
        return apis;
    }

    /** The names of the APIs a credential of {@code kind} can serve, its own first. */
    public static List<String> apiNames(Dialect kind) {
        return apisOf(kind).stream().map(Dialect::apiName).toList();
    }

    /**
     * The dialect of a request no route has taken yet: the first that recognises it, otherwise the common model's.
     *
     * @param header the request's header by name, {@code null} when absent
     */
    public static Dialect of(String path, Function<String, String> header) {
        for (Dialect d : ALL) {
            if (d.recognises(path, header)) {
                return d;
            }
        }
        return OPENAI;
    }

    private static String ids() {
        StringBuilder sb = new StringBuilder();
        for (Dialect d : ALL) {
            if (d.servesCredentials()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(d.id());
            }
        }
        return sb.toString();
    }
}
