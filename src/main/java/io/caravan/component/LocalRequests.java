package io.caravan.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Makes the JSON request a {@code caravan:} endpoint posts from a message body: a request of the endpoint's dialect
 * (a JSON string or bytes, or a {@code Map}) as it is, or a plain string as one user message in that dialect. The
 * endpoint's model fills in a request that names none, and a streamed endpoint asks for a stream.
 */
final class LocalRequests {

    private static final String MODEL = "model";
    private static final String STREAM = "stream";

    private final ObjectMapper mapper;
    private final CaravanApi api;
    private final String model;
    private final int maxTokens;
    private final boolean stream;

    LocalRequests(ObjectMapper mapper, CaravanApi api, String model, int maxTokens, boolean stream) {
        this.mapper = mapper;
        this.api = api;
        this.model = model;
        this.maxTokens = maxTokens;
        this.stream = stream;
    }

    /**
     * The request's bytes; what is not JSON goes on as it is, for the gateway to refuse as it refuses such a body
     * over HTTP.
     */
    byte[] request(Object body) throws IOException {
        ObjectNode request;
        if (body instanceof Map<?, ?> map) {
            request = mapper.valueToTree(map);
        } else if (body instanceof byte[] bytes) {
            request = parsed(bytes);
            if (request == null) {
                return bytes;
            }
        } else if (body instanceof String text) {
            if (!looksLikeJson(text)) {
                return mapper.writeValueAsBytes(userMessage(text));
            }
            request = parsed(text.getBytes(StandardCharsets.UTF_8));
            if (request == null) {
                return text.getBytes(StandardCharsets.UTF_8);
            }
        } else {
            return new byte[0];
        }
        complete(request);
        return mapper.writeValueAsBytes(request);
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{';
            }
        }
        return false;
    }

    private ObjectNode parsed(byte[] bytes) {
        try {
            JsonNode node = mapper.readTree(bytes);
            return node instanceof ObjectNode object ? object : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private void complete(ObjectNode request) {
        if (api.dialect().modelInBody()) {
            if (model != null && !request.hasNonNull(MODEL)) {
                request.put(MODEL, model);
            }
            if (stream) {
                request.put(STREAM, true);
            }
        }
    }

    /** One user message saying {@code text}, in the endpoint's dialect. */
    private ObjectNode userMessage(String text) {
        ObjectNode request = mapper.createObjectNode();
        switch (api) {
            case CHAT -> request.putArray("messages").addObject().put("role", "user").put("content", text);
            case MESSAGES -> {
                request.put("max_tokens", maxTokens);
                request.putArray("messages").addObject().put("role", "user").put("content", text);
            }
            case RESPONSES, EMBEDDINGS -> request.put("input", text);
            case GEMINI -> request.putArray("contents").addObject().put("role", "user")
                    .putArray("parts").addObject().put("text", text);
        }
        complete(request);
        return request;
    }
}
