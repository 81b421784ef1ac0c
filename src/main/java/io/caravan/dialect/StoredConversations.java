package io.caravan.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Map;

/**
 * How a dialect whose API keeps answers server-side (OpenAI Responses: {@code store}, {@code previous_response_id})
 * names them, so that the gateway can keep them too: a request continuing an answer a native credential made goes
 * to that credential, and one continuing an answer the gateway translated is given its history and served by any.
 * A dialect without stored answers has none ({@link Dialect#storedConversations()} is {@code null}).
 */
public interface StoredConversations {

    /** The id of the stored answer this request continues, or {@code null} when it continues none. */
    String continuedFrom(Map<String, Object> request);

    /** Whether the caller asked for this request's answer to be kept. */
    boolean keeps(Map<String, Object> request);

    /**
     * The request with the stored conversation written in before its own input, continuing nothing: what any
     * credential can serve.
     *
     * @param history the conversation of the continued answer, as {@link #conversation} made it
     */
    Map<String, Object> withHistory(Map<String, Object> request, ArrayNode history);

    /** The conversation after {@code answer}: the request's input (its history written in), then the answer's output. */
    ArrayNode conversation(Map<String, Object> request, JsonNode answer);

    /** The id of a whole answer, or {@code null} when it has none (an error, a failed answer). */
    String answerId(JsonNode answer);

    /** Whether this event of the caller's stream ends it with a whole answer to keep ({@link #finishedAnswer}). */
    boolean finishes(SseEvent event);

    /** The whole answer an event that {@link #finishes} the stream carries. */
    JsonNode finishedAnswer(JsonNode eventData);
}
