package io.caravan.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonCodec;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StoredConversations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Responses API's stored responses: {@code store} (on unless {@code false}) keeps an answer,
 * {@code previous_response_id} continues one. A continued conversation is the earlier request's input followed by
 * its answer's output items, which the API reads back as input items; {@code instructions} are not carried over,
 * as the API does not carry them either.
 */
final class ResponsesConversations implements StoredConversations {

    static final ResponsesConversations INSTANCE = new ResponsesConversations();

    private static final String STORE = "store";

    private ResponsesConversations() {
    }

    @Override
    public String continuedFrom(Map<String, Object> request) {
        return request.get(ResponsesWire.PREVIOUS_RESPONSE_ID) instanceof String id && !id.isEmpty() ? id : null;
    }

    @Override
    public boolean keeps(Map<String, Object> request) {
        return !Boolean.FALSE.equals(request.get(STORE));
    }

    @Override
    public Map<String, Object> withHistory(Map<String, Object> request, ArrayNode history) {
        ArrayNode input = history.deepCopy();
        input.addAll(inputItems(request));
        Map<String, Object> continued = new LinkedHashMap<>(request);
        continued.remove(ResponsesWire.PREVIOUS_RESPONSE_ID);
        continued.put(ResponsesWire.INPUT, JsonCodec.mapper().convertValue(input, List.class));
        return continued;
    }

    @Override
    public ArrayNode conversation(Map<String, Object> request, JsonNode answer) {
        ArrayNode conversation = inputItems(request);
        for (JsonNode item : answer.path(ResponsesWire.OUTPUT)) {
            conversation.add(item);
        }
        return conversation;
    }

    @Override
    public String answerId(JsonNode answer) {
        JsonNode id = answer.get(ResponsesWire.ID);
        return id != null && id.isTextual() ? id.textValue() : null;
    }

    @Override
    public boolean finishes(SseEvent event) {
        return ResponsesWire.EVENT_COMPLETED.equals(event.event());
    }

    @Override
    public JsonNode finishedAnswer(JsonNode eventData) {
        return eventData.get(ResponsesWire.RESPONSE);
    }

    /** The request's {@code input} as items: a plain string is one user message. */
    private static ArrayNode inputItems(Map<String, Object> request) {
        Object input = request.get(ResponsesWire.INPUT);
        if (input instanceof String text) {
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            ObjectNode message = items.addObject();
            message.put(ResponsesWire.TYPE, ResponsesWire.ITEM_MESSAGE);
            message.put(ResponsesWire.ROLE, "user");
            message.put(ResponsesWire.CONTENT, text);
            return items;
        }
        return input == null ? JsonNodeFactory.instance.arrayNode() : JsonCodec.mapper().valueToTree(input);
    }
}
