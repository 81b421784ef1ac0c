package io.caravan.dialect.gemini;

import static io.caravan.dialect.gemini.ChatWire.ARGUMENTS;
import static io.caravan.dialect.gemini.ChatWire.CHOICES;
import static io.caravan.dialect.gemini.ChatWire.COMPLETION_ID_PREFIX;
import static io.caravan.dialect.gemini.ChatWire.CONTENT;
import static io.caravan.dialect.gemini.ChatWire.CREATED;
import static io.caravan.dialect.gemini.ChatWire.FINISH_REASON;
import static io.caravan.dialect.gemini.ChatWire.FINISH_STOP;
import static io.caravan.dialect.gemini.ChatWire.FINISH_TOOL_CALLS;
import static io.caravan.dialect.gemini.ChatWire.FUNCTION;
import static io.caravan.dialect.gemini.ChatWire.ID;
import static io.caravan.dialect.gemini.ChatWire.INDEX;
import static io.caravan.dialect.gemini.ChatWire.LOGPROBS;
import static io.caravan.dialect.gemini.ChatWire.MESSAGE;
import static io.caravan.dialect.gemini.ChatWire.MODEL;
import static io.caravan.dialect.gemini.ChatWire.NAME;
import static io.caravan.dialect.gemini.ChatWire.OBJECT;
import static io.caravan.dialect.gemini.ChatWire.OBJECT_COMPLETION;
import static io.caravan.dialect.gemini.ChatWire.REASONING_CONTENT;
import static io.caravan.dialect.gemini.ChatWire.REASONING_SIGNATURE;
import static io.caravan.dialect.gemini.ChatWire.REFUSAL;
import static io.caravan.dialect.gemini.ChatWire.ROLE;
import static io.caravan.dialect.gemini.ChatWire.ROLE_ASSISTANT;
import static io.caravan.dialect.gemini.ChatWire.TOOL_CALLS;
import static io.caravan.dialect.gemini.ChatWire.TOOL_CALL_ID_PREFIX;
import static io.caravan.dialect.gemini.ChatWire.TYPE;
import static io.caravan.dialect.gemini.ChatWire.TYPE_FUNCTION;
import static io.caravan.dialect.gemini.ChatWire.USAGE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;
import java.time.Clock;

/**
 * A Gemini {@code GenerateContentResponse} as a chat completion (the common model). Its first candidate's parts:
 * thought text becomes {@code reasoning_content}, other text {@code content}, function calls {@code tool_calls}
 * (Gemini's id when it gave one, else a fresh {@code call_} id; arguments as a JSON string), and the first
 * {@code thoughtSignature} {@code reasoning_signature}, marked as Gemini's ({@link SignatureProvenance}), which the
 * caller sends back with the turn. Parts a chat message has no place for (code execution, generated media) are left
 * out. A prompt Gemini's safety filters blocked (no candidates, {@code promptFeedback.blockReason}) is no answer: the
 * caller gets a 400 saying so ({@link GeminiUpstreamRefusals#promptBlocked}); an answer with no candidate and no
 * reason is not one Gemini gives, and fails the attempt.
 */
final class GeminiToChatResponse {

    private final IdGenerator ids;
    private final Clock clock;

    GeminiToChatResponse(IdGenerator ids, Clock clock) {
        this.ids = ids;
        this.clock = clock;
    }

    ObjectNode translate(ObjectNode gemini, String callerModel) {
        JsonNode candidate = gemini.path(GeminiWire.CANDIDATES).path(0);
        if (!candidate.isObject()) {
            String blocked = blockedPrompt(gemini);
            if (blocked != null) {
                throw GeminiUpstreamRefusals.promptBlocked(blocked);
            }
            throw new IllegalArgumentException("a Gemini answer without a candidate");
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        String signature = null;
        ArrayNode toolCalls = JsonTrees.array();
        for (JsonNode part : JsonTrees.elements(candidate.path(GeminiWire.CONTENT), GeminiWire.PARTS)) {
            if (signature == null) {
                signature = JsonTrees.text(part, GeminiWire.THOUGHT_SIGNATURE);
            }
            String partText = JsonTrees.text(part, GeminiWire.TEXT);
            JsonNode call = JsonTrees.objectField(part, GeminiWire.FUNCTION_CALL);
            if (partText != null) {
                (part.path(GeminiWire.THOUGHT).asBoolean(false) ? reasoning : text).append(partText);
            } else if (call != null) {
                toolCalls.add(toolCall(call, ids));
            }
        }

        ObjectNode message = JsonTrees.object();
        message.put(ROLE, ROLE_ASSISTANT);
        if (text.length() == 0 && !toolCalls.isEmpty()) {
            message.putNull(CONTENT);
        } else {
            message.put(CONTENT, text.toString());
        }
        message.putNull(REFUSAL);
        if (reasoning.length() > 0 || !JsonTrees.isEmpty(signature)) {
            message.put(REASONING_CONTENT, reasoning.toString());
        }
        if (!JsonTrees.isEmpty(signature)) {
            message.put(REASONING_SIGNATURE, SignatureProvenance.marked(signature));
        }
        if (!toolCalls.isEmpty()) {
            message.set(TOOL_CALLS, toolCalls);
        }

        ObjectNode completion = JsonTrees.object();
        completion.put(ID, completionId(gemini, ids));
        completion.put(OBJECT, OBJECT_COMPLETION);
        completion.put(CREATED, clock.instant().getEpochSecond());
        completion.put(MODEL, callerModel);
        ObjectNode choice = completion.putArray(CHOICES).addObject();
        choice.put(INDEX, 0);
        choice.set(MESSAGE, message);
        choice.putNull(LOGPROBS);
        choice.put(FINISH_REASON, finishReason(JsonTrees.text(candidate, GeminiWire.FINISH_REASON), !toolCalls.isEmpty()));
        completion.set(USAGE, ChatUsageOfGemini.usage(gemini.get(GeminiWire.USAGE_METADATA)));
        return completion;
    }

    /** What the caller reads when Gemini blocked the prompt, or {@code null} when it did not. */
    static String blockedPrompt(JsonNode gemini) {
        String reason = JsonTrees.text(gemini.path(GeminiWire.PROMPT_FEEDBACK), GeminiWire.BLOCK_REASON);
        return reason == null ? null
                : "The provider's safety filters blocked the prompt (Gemini blockReason " + reason + ")";
    }

    /** The chat completion id for Gemini's {@code responseId}, or a fresh one. */
    static String completionId(JsonNode gemini, IdGenerator ids) {
        String responseId = JsonTrees.text(gemini, GeminiWire.RESPONSE_ID);
        return JsonTrees.isEmpty(responseId) ? ids.newId(COMPLETION_ID_PREFIX) : COMPLETION_ID_PREFIX + responseId;
    }

    /** A whole answer has finished even where Gemini names no reason. */
    static String finishReason(String geminiReason, boolean callsTools) {
        String reason = GeminiFinishReasons.toChat(geminiReason, callsTools);
        if (reason != null) {
            return reason;
        }
        return callsTools ? FINISH_TOOL_CALLS : FINISH_STOP;
    }

    /** A complete tool call: Gemini gives a call whole, never in fragments. */
    static ObjectNode toolCall(JsonNode functionCall, IdGenerator ids) {
        ObjectNode call = JsonTrees.object();
        String id = JsonTrees.text(functionCall, GeminiWire.ID);
        call.put(ID, JsonTrees.isEmpty(id) ? ids.newId(TOOL_CALL_ID_PREFIX) : id);
        call.put(TYPE, TYPE_FUNCTION);
        ObjectNode function = call.putObject(FUNCTION);
        function.put(NAME, JsonTrees.text(functionCall, GeminiWire.NAME));
        JsonNode args = functionCall.get(GeminiWire.ARGS);
        function.put(ARGUMENTS, args == null || args.isNull() ? "{}" : JsonTrees.write(args));
        return call;
    }
}
