package io.caravan.dialect.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamUsage;
import io.caravan.dialect.TokenCounts;

/**
 * The usage of an OpenAI Chat stream: the chunk whose {@code usage} is an object (with
 * {@code stream_options.include_usage} every other chunk carries {@code "usage":null}; some compatible servers
 * report running totals in several chunks, of which the last counts). Only a chunk whose text holds a
 * {@code "usage"} key followed by an object is parsed; every other chunk costs a substring search.
 */
final class ChatStreamUsage implements StreamUsage {

    private static final String USAGE_KEY = "\"" + ChatUsage.USAGE + "\"";
    private static final String CHOICES = "choices";

    private TokenCounts counts = TokenCounts.NONE;

    @Override
    public boolean onEvent(SseEvent event) {
        String data = event.data();
        if (!hasUsageObject(data)) {
            return false;
        }
        JsonNode chunk = JsonTrees.parseOrNull(data);
        if (chunk == null || !chunk.isObject()) {
            return false;
        }
        JsonNode usage = chunk.get(ChatUsage.USAGE);
        if (usage == null || !usage.isObject()) {
            return false;
        }
        counts = ChatUsage.of(usage);
        JsonNode choices = chunk.get(CHOICES);
        return choices == null || (choices.isArray() && choices.isEmpty());
    }

    @Override
    public TokenCounts counts() {
        return counts;
    }

    /**
     * Whether the text holds {@code "usage"} as a key whose value is an object. A quote inside a JSON string is
     * escaped, so {@code "usage"} unescaped followed by a colon can only be a key.
     */
    static boolean hasUsageObject(String data) {
        int from = 0;
        int at;
        while ((at = data.indexOf(USAGE_KEY, from)) >= 0) {
            int i = skipSpace(data, at + USAGE_KEY.length());
            if (i < data.length() && data.charAt(i) == ':') {
                i = skipSpace(data, i + 1);
                if (i < data.length() && data.charAt(i) == '{') {
                    return true;
                }
            }
            from = at + USAGE_KEY.length();
        }
        return false;
    }

    private static int skipSpace(String data, int i) {
        while (i < data.length() && Character.isWhitespace(data.charAt(i))) {
            i++;
        }
        return i;
    }
}
