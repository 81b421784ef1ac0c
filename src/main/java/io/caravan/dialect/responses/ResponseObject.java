package io.caravan.dialect.responses;

import static io.caravan.dialect.responses.ResponsesWire.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;

/**
 * The parts of a Responses {@code response} object the whole answer and every stream event share: the object with
 * every field the SDKs require (values the gateway does not know are null or the API's defaults), its output items,
 * its usage, and how a Chat Completions {@code finish_reason} sets its status.
 */
final class ResponseObject {

    private ResponseObject() {
    }

    /** A response with no output yet; {@code output} and {@code usage} are filled in by the caller. */
    static ObjectNode skeleton(String id, long createdAt, String model, String status) {
        ObjectNode response = JsonTrees.object();
        response.put(ID, id);
        response.put(OBJECT, OBJECT_RESPONSE);
        response.put(CREATED_AT, createdAt);
        response.put(STATUS, status);
        response.putNull(ERROR);
        response.putNull(INCOMPLETE_DETAILS);
        response.putNull(INSTRUCTIONS);
        response.putObject(METADATA);
        response.put(MODEL, model);
        response.putArray(OUTPUT);
        response.put(PARALLEL_TOOL_CALLS, true);
        response.putNull(TEMPERATURE);
        response.put(TOOL_CHOICE, "auto");
        response.putArray(TOOLS);
        response.putNull(TOP_P);
        response.putNull(USAGE);
        return response;
    }

    /**
     * Sets status and incomplete details from the finish reason: an answer cut by the token limit or the content
     * filter is {@code incomplete}, as the Responses API reports it; any other finished answer is {@code completed}.
     */
    static void finish(ObjectNode response, String finishReason) {
        String reason = incompleteReason(finishReason);
        if (reason == null) {
            response.put(STATUS, STATUS_COMPLETED);
        } else {
            response.put(STATUS, STATUS_INCOMPLETE);
            response.putObject(INCOMPLETE_DETAILS).put(REASON, reason);
        }
    }

    /** {@code max_output_tokens} or {@code content_filter}, or null when the answer is complete. */
    static String incompleteReason(String finishReason) {
        if (FINISH_LENGTH.equals(finishReason)) {
            return MAX_OUTPUT_TOKENS;
        }
        return FINISH_CONTENT_FILTER.equals(finishReason) ? FINISH_CONTENT_FILTER : null;
    }

    /** An assistant message item with one text part. */
    static ObjectNode messageItem(String id, String status, String text) {
        ObjectNode item = JsonTrees.object();
        item.put(ID, id);
        item.put(TYPE, ITEM_MESSAGE);
        item.put(STATUS, status);
        item.put(ROLE, ROLE_ASSISTANT);
        ArrayNode content = item.putArray(CONTENT);
        if (text != null) {
            content.add(textPart(text));
        }
        return item;
    }

    static ObjectNode textPart(String text) {
        ObjectNode part = JsonTrees.object();
        part.put(TYPE, PART_OUTPUT_TEXT);
        part.put(TEXT, text);
        part.putArray(ANNOTATIONS);
        part.putArray(LOGPROBS);
        return part;
    }

    static ObjectNode functionCallItem(String id, String status, String callId, String name, String arguments) {
        ObjectNode item = JsonTrees.object();
        item.put(ID, id);
        item.put(TYPE, ITEM_FUNCTION_CALL);
        item.put(STATUS, status);
        item.put(CALL_ID, callId);
        item.put(NAME, name);
        item.put(ARGUMENTS, arguments);
        return item;
    }

    /**
     * A reasoning item: its text as one summary part (none when there is no text), and the thinking signature, when
     * there is one, sealed in {@code encrypted_content} for the caller to send back.
     */
    static ObjectNode reasoningItem(String id, String text, String signature) {
        ObjectNode item = JsonTrees.object();
        item.put(ID, id);
        item.put(TYPE, ITEM_REASONING);
        ArrayNode summary = item.putArray(SUMMARY);
        if (!JsonTrees.isEmpty(text)) {
            summary.add(summaryPart(text));
        }
        if (!JsonTrees.isEmpty(signature)) {
            item.put(ENCRYPTED_CONTENT, ThinkingSignatures.sealed(signature));
        }
        return item;
    }

    static ObjectNode summaryPart(String text) {
        return JsonTrees.object().put(TYPE, PART_SUMMARY_TEXT).put(TEXT, text);
    }

    /** Chat Completions usage as Responses usage; every count is present, 0 when the upstream gave none. */
    static ObjectNode usage(JsonNode chatUsage) {
        long input = JsonTrees.count(chatUsage, CHAT_PROMPT_TOKENS);
        long output = JsonTrees.count(chatUsage, CHAT_COMPLETION_TOKENS);
        ObjectNode usage = JsonTrees.object();
        usage.put(INPUT_TOKENS, input);
        JsonNode inputDetails = chatUsage == null ? null : chatUsage.get(CHAT_PROMPT_TOKENS_DETAILS);
        usage.putObject(INPUT_TOKENS_DETAILS)
                .put(CACHED_TOKENS, Math.min(input, JsonTrees.count(inputDetails, CACHED_TOKENS)))
                // Chat Completions does not report cache writes; the SDKs require the count all the same
                .put(CACHE_WRITE_TOKENS, Math.min(input, JsonTrees.count(inputDetails, CACHE_WRITE_TOKENS)));
        usage.put(OUTPUT_TOKENS, output);
        usage.putObject(OUTPUT_TOKENS_DETAILS).put(REASONING_TOKENS,
                Math.min(output, JsonTrees.count(chatUsage == null ? null : chatUsage.get(CHAT_COMPLETION_TOKENS_DETAILS),
                        REASONING_TOKENS)));
        long total = JsonTrees.count(chatUsage, CHAT_TOTAL_TOKENS);
        usage.put(TOTAL_TOKENS, total > 0 ? total : input + output);
        return usage;
    }
}
