package io.caravan.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonCodec;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The gateway's answer to a prewarm ({@code generate: false} on a Responses WebSocket): an empty response, created
 * and at once completed, with no output and no usage spent. Codex CLI sends one when it opens its socket and waits
 * for its {@code response.completed} (whose {@code response.id} its next turn continues) before the first real turn.
 */
final class PrewarmAnswer {

    private static final ObjectMapper JSON = JsonCodec.mapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private PrewarmAnswer() {
    }

    /** A response id in the Responses API's form. */
    static String responseId() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "resp_" + HexFormat.of().formatHex(bytes);
    }

    static String created(String responseId, String model) {
        return event("response.created", 0, response(responseId, model, "in_progress", false));
    }

    static String completed(String responseId, String model) {
        return event("response.completed", 1, response(responseId, model, "completed", true));
    }

    private static String event(String type, int sequenceNumber, ObjectNode response) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", type);
        event.put("sequence_number", sequenceNumber);
        event.set("response", response);
        return event.toString();
    }

    private static ObjectNode response(String id, String model, String status, boolean withUsage) {
        ObjectNode response = JSON.createObjectNode();
        response.put("id", id);
        response.put("object", "response");
        response.put("created_at", System.currentTimeMillis() / 1000);
        response.put("status", status);
        response.putNull("error");
        response.putNull("incomplete_details");
        response.put("model", model);
        response.putArray("output");
        if (withUsage) {
            ObjectNode usage = response.putObject("usage");
            usage.put("input_tokens", 0);
            usage.putObject("input_tokens_details").put("cached_tokens", 0);
            usage.put("output_tokens", 0);
            usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
            usage.put("total_tokens", 0);
        } else {
            response.putNull("usage");
        }
        return response;
    }
}
