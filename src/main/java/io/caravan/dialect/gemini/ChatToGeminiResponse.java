package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.CommonMessages;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;

/**
 * A Chat completion (its first choice) as a Gemini {@code GenerateContentResponse}: one candidate whose parts are the
 * reasoning as a thought part ({@code {"text", "thought": true}}), then the text, then a {@code functionCall} part
 * per tool call (its id, and the arguments string parsed into the {@code args} object). A refusal is the text, and
 * it or a {@code content_filter} finish is {@code finishReason: SAFETY}.
 *
 * <p>The thinking signature ({@code reasoning_signature}) is the thought part's {@code thoughtSignature}, and goes
 * also where Gemini itself puts one, on the first text part and the first function call, sealed there with the
 * thinking it signs ({@link GeminiThoughtSeal}): Gemini CLI keeps no thought parts in its history, and sends back only
 * what the parts it keeps carry. A signature without thinking goes on those parts as it is (on an empty thought part
 * when there are none). The candidate's content is always there (parts possibly
 * empty), as Gemini CLI takes a candidate without content for an invalid answer. {@code modelVersion} is the caller's
 * model; {@code responseId} the completion's id.
 */
final class ChatToGeminiResponse {

    private final IdGenerator ids;

    ChatToGeminiResponse(IdGenerator ids) {
        this.ids = ids;
    }

    ObjectNode translate(ObjectNode chat, String callerModel) {
        JsonNode choice = chat.path(ChatWire.CHOICES).path(0);
        JsonNode message = choice.path(ChatWire.MESSAGE);
        ArrayNode parts = JsonTrees.array();
        String reasoning = CommonMessages.reasoningText(message);
        if (!JsonTrees.isEmpty(reasoning)) {
            parts.addObject().put(GeminiWire.TEXT, reasoning).put(GeminiWire.THOUGHT, true);
        }
        JsonNode content = message.get(ChatWire.CONTENT);
        String text = content == null || content.isNull() ? "" : CommonMessages.contentText(content);
        String refusal = JsonTrees.text(message, ChatWire.REFUSAL);
        if (text.isEmpty() && !JsonTrees.isEmpty(refusal)) {
            text = refusal;
        }
        ObjectNode firstText = null;
        if (!text.isEmpty()) {
            firstText = parts.addObject().put(GeminiWire.TEXT, text);
        }
        ObjectNode firstCall = null;
        for (JsonNode call : JsonTrees.elements(message, ChatWire.TOOL_CALLS)) {
            ObjectNode part = functionCallPart(JsonTrees.text(call, ChatWire.ID),
                    JsonTrees.text(call.path(ChatWire.FUNCTION), ChatWire.NAME),
                    JsonTrees.text(call.path(ChatWire.FUNCTION), ChatWire.ARGUMENTS), ids);
            parts.add(part);
            firstCall = firstCall != null ? firstCall : part;
        }
        String signature = JsonTrees.text(message, ChatWire.REASONING_SIGNATURE);
        if (!JsonTrees.isEmpty(signature)) {
            String kept = keptSignature(reasoning, signature);
            if (firstText != null) {
                firstText.put(GeminiWire.THOUGHT_SIGNATURE, kept);
            }
            if (firstCall != null) {
                firstCall.put(GeminiWire.THOUGHT_SIGNATURE, kept);
            }
            if (!JsonTrees.isEmpty(reasoning)) {
                ((ObjectNode) parts.get(0)).put(GeminiWire.THOUGHT_SIGNATURE, signature);
            } else if (firstText == null && firstCall == null) {
                parts.addObject().put(GeminiWire.TEXT, "").put(GeminiWire.THOUGHT, true)
                        .put(GeminiWire.THOUGHT_SIGNATURE, signature);
            }
        }

        ObjectNode gemini = JsonTrees.object();
        ObjectNode candidate = gemini.putArray(GeminiWire.CANDIDATES).addObject();
        candidate.putObject(GeminiWire.CONTENT).put(GeminiWire.ROLE, GeminiWire.ROLE_MODEL).set(GeminiWire.PARTS, parts);
        String finishReason = JsonTrees.text(choice, ChatWire.FINISH_REASON);
        candidate.put(GeminiWire.FINISH_REASON, finishReason(JsonTrees.isEmpty(refusal) ? finishReason
                : ChatWire.FINISH_CONTENT_FILTER, true));
        candidate.put(GeminiWire.INDEX, 0);
        ObjectNode usage = usageMetadata(chat.get(ChatWire.USAGE));
        if (usage != null) {
            gemini.set(GeminiWire.USAGE_METADATA, usage);
        }
        gemini.put(GeminiWire.MODEL_VERSION, callerModel);
        String id = JsonTrees.text(chat, ChatWire.ID);
        gemini.put(GeminiWire.RESPONSE_ID, JsonTrees.isEmpty(id) ? ids.newId(ChatWire.RESPONSE_ID_PREFIX) : id);
        return gemini;
    }

    /** The signature for the parts a caller keeps: sealed with the thinking it signs, when there is any. */
    static String keptSignature(String reasoning, String signature) {
        return JsonTrees.isEmpty(reasoning) ? signature : GeminiThoughtSeal.seal(reasoning, signature);
    }

    /**
     * Gemini's reason for the common model's.
     *
     * @param finished whether the answer is complete even without a reason (a whole completion): then it is STOP
     */
    static String finishReason(String chatReason, boolean finished) {
        String reason = GeminiFinishReasons.toGemini(chatReason);
        return reason == null && finished ? GeminiFinishReasons.STOP : reason;
    }

    /** A {@code functionCall} part: the call's id (a new one when it has none) and its arguments as an object. */
    static ObjectNode functionCallPart(String id, String name, String arguments, IdGenerator ids) {
        ObjectNode part = JsonTrees.object();
        ObjectNode call = part.putObject(GeminiWire.FUNCTION_CALL);
        call.put(GeminiWire.ID, JsonTrees.isEmpty(id) ? ids.newId(ChatWire.TOOL_CALL_ID_PREFIX) : id);
        call.put(GeminiWire.NAME, name == null ? "" : name);
        JsonNode args = JsonTrees.parseOrNull(arguments);
        // A model's malformed arguments (not JSON, or no object) cannot be Gemini's args object: empty it is.
        call.set(GeminiWire.ARGS, args != null && args.isObject() ? args : JsonTrees.object());
        return part;
    }

    /**
     * The {@code usageMetadata} for a Chat {@code usage}: candidates are the output without the reasoning, which is
     * counted as thoughts (left out when 0, as Gemini does, like the cached count); {@code null} for no usage.
     */
    static ObjectNode usageMetadata(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long prompt = JsonTrees.count(usage, ChatWire.PROMPT_TOKENS);
        long completion = JsonTrees.count(usage, ChatWire.COMPLETION_TOKENS);
        long reasoning = Math.min(completion,
                JsonTrees.count(usage.get(ChatWire.COMPLETION_TOKENS_DETAILS), ChatWire.REASONING_TOKENS));
        long cached = Math.min(prompt,
                JsonTrees.count(usage.get(ChatWire.PROMPT_TOKENS_DETAILS), ChatWire.CACHED_TOKENS));
        ObjectNode metadata = JsonTrees.object();
        metadata.put(GeminiWire.PROMPT_TOKEN_COUNT, prompt);
        metadata.put(GeminiWire.CANDIDATES_TOKEN_COUNT, completion - reasoning);
        metadata.put(GeminiWire.TOTAL_TOKEN_COUNT, prompt + completion);
        if (cached > 0) {
            metadata.put(GeminiWire.CACHED_CONTENT_TOKEN_COUNT, cached);
        }
        if (reasoning > 0) {
            metadata.put(GeminiWire.THOUGHTS_TOKEN_COUNT, reasoning);
        }
        return metadata;
    }
}
