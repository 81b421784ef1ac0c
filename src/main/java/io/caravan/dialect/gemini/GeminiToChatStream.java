package io.caravan.dialect.gemini;

import static io.caravan.dialect.gemini.ChatWire.CHOICES;
import static io.caravan.dialect.gemini.ChatWire.CONTENT;
import static io.caravan.dialect.gemini.ChatWire.CREATED;
import static io.caravan.dialect.gemini.ChatWire.DELTA;
import static io.caravan.dialect.gemini.ChatWire.DONE;
import static io.caravan.dialect.gemini.ChatWire.FINISH_REASON;
import static io.caravan.dialect.gemini.ChatWire.ID;
import static io.caravan.dialect.gemini.ChatWire.INDEX;
import static io.caravan.dialect.gemini.ChatWire.LOGPROBS;
import static io.caravan.dialect.gemini.ChatWire.MODEL;
import static io.caravan.dialect.gemini.ChatWire.OBJECT;
import static io.caravan.dialect.gemini.ChatWire.OBJECT_CHUNK;
import static io.caravan.dialect.gemini.ChatWire.REASONING_CONTENT;
import static io.caravan.dialect.gemini.ChatWire.REASONING_SIGNATURE;
import static io.caravan.dialect.gemini.ChatWire.ROLE;
import static io.caravan.dialect.gemini.ChatWire.ROLE_ASSISTANT;
import static io.caravan.dialect.gemini.ChatWire.TOOL_CALLS;
import static io.caravan.dialect.gemini.ChatWire.USAGE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.UpstreamStreamFaults;
import io.caravan.dialect.openai.OpenAiDialect;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A Gemini stream (complete {@code GenerateContentResponse} chunks, no terminator) re-framed, one chunk at a time, as
 * chat completion chunks (the common model).
 *
 * <p>Output: a first chunk with {@code delta:{role:"assistant",content:""}}; per part of each chunk a delta: thought
 * text as {@code reasoning_content}, other text as {@code content}, the answer's first {@code thoughtSignature} as
 * {@code reasoning_signature} (marked as Gemini's), and each function call as one complete {@code tool_calls} delta
 * (index, id, type, name and all its arguments: Gemini sends a call whole). The chunk whose candidate names a
 * {@code finishReason} finishes the answer: after its parts come the finish chunk ({@code delta:{}}, the reason,
 * {@code tool_calls} when the answer called functions), the usage chunk ({@code choices:[]}, from the latest
 * {@code usageMetadata}, only when the caller asked for {@code stream_options.include_usage}, in which case every
 * chunk carries {@code usage:null} as OpenAI's do) and {@code [DONE]}.
 *
 * <p>An error chunk ({@code {"error": {…}}}) becomes the common model's in-band error with Gemini's message; a
 * blocked prompt (no candidates, {@code promptFeedback.blockReason}) the in-band error saying so; data that is not a
 * JSON object, and a stream that ends before its finishing chunk, the in-band errors of {@link UpstreamStreamFaults}.
 * After any error nothing more is produced.
 */
final class GeminiToChatStream implements StreamTranslator {

    /** OpenAI error bodies have no request id field; the caller has it in the response's x-request-id header. */
    private static final String NO_REQUEST_ID = null;

    private final String callerModel;
    private final boolean includeUsage;
    private final IdGenerator ids;
    private final GeminiToChatError errors = new GeminiToChatError();
    private final long created;

    private String id;
    private JsonNode usageMetadata;
    private String signature;
    private int toolCalls;
    private boolean started;
    private boolean closed;

    GeminiToChatStream(String callerModel, boolean includeUsage, IdGenerator ids, Clock clock) {
        this.callerModel = callerModel;
        this.includeUsage = includeUsage;
        this.ids = ids;
        this.created = clock.instant().getEpochSecond();
    }

    @Override
    public List<SseEvent> onEvent(SseEvent upstreamEvent) {
        if (closed || upstreamEvent.data().isBlank()) {
            return List.of();
        }
        JsonNode chunk = JsonTrees.parseOrNull(upstreamEvent.data());
        if (chunk == null || !chunk.isObject()) {
            return fail(UpstreamStreamFaults.malformedEvent(OpenAiDialect.INSTANCE, NO_REQUEST_ID));
        }
        if (chunk.has(GeminiWire.ERROR)) {
            return fail(OpenAiDialect.INSTANCE.streamError(JsonTrees.write(errors.translateStreamError(chunk))));
        }
        JsonNode usage = JsonTrees.objectField(chunk, GeminiWire.USAGE_METADATA);
        if (usage != null) {
            usageMetadata = usage;
        }
        JsonNode candidate = chunk.path(GeminiWire.CANDIDATES).path(0);
        if (!candidate.isObject()) {
            String blocked = GeminiToChatResponse.blockedPrompt(chunk);
            if (blocked != null) {
                return fail(OpenAiDialect.INSTANCE.streamError(JsonTrees.write(
                        errors.translate(GeminiUpstreamRefusals.STATUS, JsonTrees.write(
                                GeminiUpstreamRefusals.body(GeminiWire.REASON_PROMPT_BLOCKED, blocked))))));
            }
            // A chunk of usage alone: counted, nothing to say yet.
            return List.of();
        }
        List<SseEvent> out = new ArrayList<>(3);
        start(chunk, out);
        for (JsonNode part : JsonTrees.elements(candidate.path(GeminiWire.CONTENT), GeminiWire.PARTS)) {
            onPart(part, out);
        }
        String finishReason = JsonTrees.text(candidate, GeminiWire.FINISH_REASON);
        if (finishReason != null) {
            close(GeminiToChatResponse.finishReason(finishReason, toolCalls > 0), out);
        }
        return out;
    }

    /**
     * Without its finishing chunk the answer is unfinished: an in-band error, never a finish chunk. A stream that
     * produced nothing for the caller gets nothing, so that the attempt can still count as failed before its first
     * byte.
     */
    @Override
    public List<SseEvent> onEnd() {
        if (closed) {
            return List.of();
        }
        if (!started) {
            closed = true;
            return List.of();
        }
        return fail(UpstreamStreamFaults.endedEarly(OpenAiDialect.INSTANCE, NO_REQUEST_ID));
    }

    private void onPart(JsonNode part, List<SseEvent> out) {
        String partSignature = JsonTrees.text(part, GeminiWire.THOUGHT_SIGNATURE);
        String text = JsonTrees.text(part, GeminiWire.TEXT);
        JsonNode call = JsonTrees.objectField(part, GeminiWire.FUNCTION_CALL);
        if (text != null) {
            boolean thought = part.path(GeminiWire.THOUGHT).asBoolean(false);
            emitText(thought ? REASONING_CONTENT : CONTENT, text, out);
        } else if (call != null) {
            ObjectNode toolCall = JsonTrees.object().put(INDEX, toolCalls++);
            toolCall.setAll(GeminiToChatResponse.toolCall(call, ids));
            ObjectNode delta = JsonTrees.object();
            delta.putArray(TOOL_CALLS).add(toolCall);
            out.add(chunk(delta, null));
        }
        if (signature == null && !JsonTrees.isEmpty(partSignature)) {
            signature = partSignature;
            emitText(REASONING_SIGNATURE, SignatureProvenance.marked(partSignature), out);
        }
    }

    /** The role chunk, once, with the id of the first chunk's {@code responseId}. */
    private void start(JsonNode chunk, List<SseEvent> out) {
        if (started) {
            return;
        }
        started = true;
        id = GeminiToChatResponse.completionId(chunk, ids);
        ObjectNode delta = JsonTrees.object();
        delta.put(ROLE, ROLE_ASSISTANT);
        delta.put(CONTENT, "");
        out.add(chunk(delta, null));
    }

    private void close(String finishReason, List<SseEvent> out) {
        out.add(chunk(JsonTrees.object(), finishReason));
        if (includeUsage) {
            ObjectNode usageChunk = chunkHeader();
            usageChunk.putArray(CHOICES);
            usageChunk.set(USAGE, ChatUsageOfGemini.usage(usageMetadata));
            out.add(SseEvent.data(JsonTrees.write(usageChunk)));
        }
        out.add(SseEvent.data(DONE));
        closed = true;
    }

    /** Ends the stream with this in-band error; nothing follows it. */
    private List<SseEvent> fail(SseEvent error) {
        closed = true;
        return List.of(error);
    }

    private void emitText(String field, String text, List<SseEvent> out) {
        if (!JsonTrees.isEmpty(text)) {
            ObjectNode delta = JsonTrees.object();
            delta.put(field, text);
            out.add(chunk(delta, null));
        }
    }

    private SseEvent chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = chunkHeader();
        ObjectNode choice = chunk.putArray(CHOICES).addObject();
        choice.put(INDEX, 0);
        choice.set(DELTA, delta);
        choice.putNull(LOGPROBS);
        choice.put(FINISH_REASON, finishReason);
        if (includeUsage) {
            chunk.putNull(USAGE);
        }
        return SseEvent.data(JsonTrees.write(chunk));
    }

    private ObjectNode chunkHeader() {
        ObjectNode chunk = JsonTrees.object();
        chunk.put(ID, id);
        chunk.put(OBJECT, OBJECT_CHUNK);
        chunk.put(CREATED, created);
        chunk.put(MODEL, callerModel);
        return chunk;
    }
}
