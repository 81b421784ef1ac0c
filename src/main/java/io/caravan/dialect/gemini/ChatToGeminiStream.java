package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.CommonMessages;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.UpstreamStreamFaults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat completion chunks as a Gemini stream: each chunk a complete {@code GenerateContentResponse} (the SSE data the
 * gateway frames as {@code alt=sse} events or JSON-array elements), no terminator.
 *
 * <p>Reasoning deltas become thought parts ({@code {"text", "thought": true}}) and text deltas text parts, each chunk
 * with what its upstream chunk brought. Tool calls are gathered (Gemini never streams a call in pieces) and sent whole
 * as {@code functionCall} parts, with their ids and the arguments parsed into {@code args}, in the last chunk, which
 * also carries the {@code finishReason} and the {@code usageMetadata}. Chat sends its usage in a chunk of its own
 * after the finish, so the last chunk waits for it (or for {@code [DONE]}, or the end of the stream). The thinking
 * signature ({@code reasoning_signature}) goes on the first text part sent after it and on the first function call,
 * the parts Gemini CLI keeps in its history (a later text part it merges into the first, losing its fields), sealed
 * with the thinking streamed before it ({@link GeminiThoughtSeal}); a signature no such part carried goes, as it is,
 * on an empty thought part of the last chunk.
 *
 * <p>An upstream error chunk, an event that is not a JSON object, or an end (or {@code [DONE]}) before any finish
 * reason ends the stream with a Gemini error chunk ({@code {"error": …}}), never a last chunk that would present a
 * partial answer as complete; a stream that produced nothing ends with nothing, so that the relay can still fail the
 * attempt before its first byte. Nothing follows the last chunk or an error.
 */
final class ChatToGeminiStream implements StreamTranslator {

    private final String callerModel;
    private final String requestId;
    private final IdGenerator ids;
    private final Map<Integer, ToolCall> toolCalls = new LinkedHashMap<>();
    private final StringBuilder thinking = new StringBuilder();

    private String responseId;
    private boolean started;
    private boolean closed;
    private boolean finished;
    private boolean refused;
    private String finishReason;
    private ObjectNode usage;
    private String signature;
    private boolean signatureOnText;

    /** @param requestId the gateway's id for the request, quoted in the errors the stream may end with, or {@code null} */
    ChatToGeminiStream(String callerModel, String requestId, IdGenerator ids) {
        this.callerModel = callerModel;
        this.requestId = requestId;
        this.ids = ids;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent upstreamEvent) {
        String data = upstreamEvent.data();
        if (closed || data.isBlank()) {
            return List.of();
        }
        if (ChatWire.DONE.equals(data.strip())) {
            return finished ? close() : endUnfinished();
        }
        JsonNode chunk = JsonTrees.parseOrNull(data);
        if (chunk == null || !chunk.isObject()) {
            return fail(UpstreamStreamFaults.malformedEvent(GeminiDialect.INSTANCE, requestId));
        }
        if (chunk.has(ChatWire.ERROR)) {
            return fail(GeminiDialect.INSTANCE.streamError(JsonTrees.write(ChatToGeminiError.streamError(chunk.get(ChatWire.ERROR)))));
        }
        if (responseId == null) {
            String id = JsonTrees.text(chunk, ChatWire.ID);
            responseId = JsonTrees.isEmpty(id) ? ids.newId(ChatWire.RESPONSE_ID_PREFIX) : id;
        }
        ObjectNode chunkUsage = ChatToGeminiResponse.usageMetadata(chunk.get(ChatWire.USAGE));
        if (chunkUsage != null) {
            usage = chunkUsage;
        }
        List<SseEvent> out = new ArrayList<>(2);
        JsonNode choice = chunk.path(ChatWire.CHOICES).path(0);
        if (choice.isObject()) {
            ArrayNode parts = parts(choice.path(ChatWire.DELTA));
            if (!parts.isEmpty()) {
                out.add(event(parts, null, false));
            }
            String reason = JsonTrees.text(choice, ChatWire.FINISH_REASON);
            if (reason != null) {
                finished = true;
                finishReason = reason;
            }
        }
        if (finished && usage != null) {
            out.addAll(close());
        }
        return out;
    }

    /** A finished answer whose usage or {@code [DONE]} never came is closed; an unfinished one ends in an error. */
    @Override
    public List<SseEvent> onEnd() {
        if (closed) {
            return List.of();
        }
        return finished ? close() : endUnfinished();
    }

    private ArrayNode parts(JsonNode delta) {
        ArrayNode parts = JsonTrees.array();
        String reasoning = CommonMessages.reasoningText(delta);
        if (!JsonTrees.isEmpty(reasoning)) {
            thinking.append(reasoning);
            parts.addObject().put(GeminiWire.TEXT, reasoning).put(GeminiWire.THOUGHT, true);
        }
        String deltaSignature = JsonTrees.text(delta, ChatWire.REASONING_SIGNATURE);
        if (!JsonTrees.isEmpty(deltaSignature)) {
            signature = signature == null ? deltaSignature : signature + deltaSignature;
        }
        String text = JsonTrees.text(delta, ChatWire.CONTENT);
        String refusal = JsonTrees.text(delta, ChatWire.REFUSAL);
        if (!JsonTrees.isEmpty(refusal)) {
            refused = true;
            text = text == null ? refusal : text + refusal;
        }
        if (!JsonTrees.isEmpty(text)) {
            ObjectNode part = parts.addObject().put(GeminiWire.TEXT, text);
            if (signature != null && !signatureOnText) {
                part.put(GeminiWire.THOUGHT_SIGNATURE, ChatToGeminiResponse.keptSignature(thinking.toString(), signature));
                signatureOnText = true;
            }
        }
        int position = 0;
        for (JsonNode call : JsonTrees.elements(delta, ChatWire.TOOL_CALLS)) {
            // Some OpenAI-compatible servers leave out the index: the position in the array stands in for it.
            int index = call.has(ChatWire.INDEX) ? call.get(ChatWire.INDEX).asInt() : position;
            position++;
            ToolCall gathered = toolCalls.computeIfAbsent(index, i -> new ToolCall());
            JsonNode function = call.path(ChatWire.FUNCTION);
            String id = JsonTrees.text(call, ChatWire.ID);
            if (gathered.id == null && !JsonTrees.isEmpty(id)) {
                gathered.id = id;
            }
            String name = JsonTrees.text(function, ChatWire.NAME);
            if (gathered.name == null && !JsonTrees.isEmpty(name)) {
                gathered.name = name;
            }
            String arguments = JsonTrees.text(function, ChatWire.ARGUMENTS);
            if (arguments != null) {
                gathered.arguments.append(arguments);
            }
        }
        return parts;
    }

    /** The last chunk: the gathered calls, the finish reason and the usage. */
    private List<SseEvent> close() {
        closed = true;
        ArrayNode parts = JsonTrees.array();
        boolean signaturePlaced = signatureOnText;
        for (ToolCall call : toolCalls.values()) {
            ObjectNode part = ChatToGeminiResponse.functionCallPart(call.id, call.name, call.arguments.toString(), ids);
            if (signature != null && parts.isEmpty()) {
                part.put(GeminiWire.THOUGHT_SIGNATURE, ChatToGeminiResponse.keptSignature(thinking.toString(), signature));
                signaturePlaced = true;
            }
            parts.add(part);
        }
        if (signature != null && !signaturePlaced) {
            parts.addObject().put(GeminiWire.TEXT, "").put(GeminiWire.THOUGHT, true).put(GeminiWire.THOUGHT_SIGNATURE, signature);
        }
        String reason = ChatToGeminiResponse.finishReason(refused ? ChatWire.FINISH_CONTENT_FILTER : finishReason, true);
        return List.of(event(parts, reason, true));
    }

    private List<SseEvent> endUnfinished() {
        if (!started) {
            closed = true;
            return List.of();
        }
        return fail(UpstreamStreamFaults.endedEarly(GeminiDialect.INSTANCE, requestId));
    }

    private List<SseEvent> fail(SseEvent error) {
        closed = true;
        return List.of(error);
    }

    private SseEvent event(ArrayNode parts, String reason, boolean last) {
        started = true;
        if (responseId == null) {
            responseId = ids.newId(ChatWire.RESPONSE_ID_PREFIX);
        }
        ObjectNode chunk = JsonTrees.object();
        ObjectNode candidate = chunk.putArray(GeminiWire.CANDIDATES).addObject();
        candidate.putObject(GeminiWire.CONTENT).put(GeminiWire.ROLE, GeminiWire.ROLE_MODEL).set(GeminiWire.PARTS, parts);
        if (reason != null) {
            candidate.put(GeminiWire.FINISH_REASON, reason);
        }
        candidate.put(GeminiWire.INDEX, 0);
        if (last && usage != null) {
            chunk.set(GeminiWire.USAGE_METADATA, usage);
        }
        chunk.put(GeminiWire.MODEL_VERSION, callerModel);
        chunk.put(GeminiWire.RESPONSE_ID, responseId);
        return SseEvent.data(JsonTrees.write(chunk));
    }

    /** A tool call being gathered from its deltas. */
    private static final class ToolCall {
        private String id;
        private String name;
        private final StringBuilder arguments = new StringBuilder();
    }
}
