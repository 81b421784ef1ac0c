package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_THINKING;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TOOL_USE;
import static io.caravan.dialect.anthropic.AnthropicWire.CONTENT_BLOCK;
import static io.caravan.dialect.anthropic.AnthropicWire.DELTA;
import static io.caravan.dialect.anthropic.AnthropicWire.DELTA_INPUT_JSON;
import static io.caravan.dialect.anthropic.AnthropicWire.DELTA_SIGNATURE;
import static io.caravan.dialect.anthropic.AnthropicWire.DELTA_TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.DELTA_THINKING;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_CONTENT_BLOCK_DELTA;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_CONTENT_BLOCK_START;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_ERROR;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_MESSAGE_DELTA;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_MESSAGE_START;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_MESSAGE_STOP;
import static io.caravan.dialect.anthropic.AnthropicWire.ID;
import static io.caravan.dialect.anthropic.AnthropicWire.INDEX;
import static io.caravan.dialect.anthropic.AnthropicWire.MESSAGE;
import static io.caravan.dialect.anthropic.AnthropicWire.NAME;
import static io.caravan.dialect.anthropic.AnthropicWire.PARTIAL_JSON;
import static io.caravan.dialect.anthropic.AnthropicWire.SIGNATURE;
import static io.caravan.dialect.anthropic.AnthropicWire.STOP_REASON;
import static io.caravan.dialect.anthropic.AnthropicWire.TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.THINKING;
import static io.caravan.dialect.anthropic.AnthropicWire.TYPE;
import static io.caravan.dialect.anthropic.AnthropicWire.USAGE;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic stream events re-framed, one at a time, as OpenAI chat completion chunks.
 *
 * <p>Output: a first chunk with {@code delta:{role:"assistant",content:""}} (on {@code message_start}); a chunk per
 * text, thinking ({@code reasoning_content}), signature ({@code reasoning_signature}) and tool-argument delta; for
 * each tool_use block a first {@code tool_calls} delta with index, id, type, name and empty arguments; on
 * {@code message_stop} a chunk with {@code delta:{}} and the finish reason (the stop reason of the
 * {@code message_delta} before it), the usage chunk ({@code choices:[]}, only when the caller asked for
 * {@code stream_options.include_usage}, in which case every chunk carries {@code usage:null} as OpenAI's do) and
 * {@code [DONE]}.
 *
 * <p>An Anthropic stream has finished only when {@code message_stop} arrived. {@code message_delta} already names the
 * stop reason, but its finish chunk waits for {@code message_stop}: a stream cut between the two has not finished,
 * and the caller must never have been told it did. A stream that ends unfinished ends with an OpenAI in-band error
 * chunk and no {@code [DONE]}; so does one carrying an event whose data is not a JSON object. An upstream
 * {@code error} event becomes the OpenAI in-band error chunk with the upstream's message. After any error nothing
 * more is produced.
 */
public final class AnthropicToOpenAiStream implements StreamTranslator {

    /** OpenAI error bodies have no request id field; the caller has it in the response's x-request-id header. */
    private static final String NO_REQUEST_ID = null;

    private final String callerModel;
    private final boolean includeUsage;
    private final IdGenerator ids;
    private final AnthropicToOpenAiError errors;
    private final long created;
    /** Anthropic content-block index to OpenAI tool_calls index, for tool_use blocks only. */
    private final Map<Integer, Integer> toolCallIndexByBlock = new HashMap<>();

    private String id;
    private TokenUsage usage = TokenUsage.NONE;
    private String stopReason;
    private boolean started;
    private boolean closed;

    public AnthropicToOpenAiStream(String callerModel, boolean includeUsage, IdGenerator ids, Clock clock) {
        this.callerModel = callerModel;
        this.includeUsage = includeUsage;
        this.ids = ids;
        this.errors = new AnthropicToOpenAiError();
        this.created = clock.instant().getEpochSecond();
    }

    @Override
    public List<SseEvent> onEvent(SseEvent upstreamEvent) {
        if (closed || upstreamEvent.data().isBlank()) {
            return List.of();
        }
        JsonNode data = JsonTrees.parseOrNull(upstreamEvent.data());
        if (data == null || !data.isObject()) {
            return fail(UpstreamStreamFaults.malformedEvent(OpenAiDialect.INSTANCE, NO_REQUEST_ID));
        }
        String type = JsonTrees.text(data, TYPE);
        if (type == null) {
            type = upstreamEvent.event();
        }
        if (type == null) {
            return List.of();
        }
        List<SseEvent> out = new ArrayList<>(3);
        switch (type) {
            case EVENT_MESSAGE_START -> onMessageStart(data.path(MESSAGE), out);
            case EVENT_CONTENT_BLOCK_START -> onBlockStart(data, out);
            case EVENT_CONTENT_BLOCK_DELTA -> onBlockDelta(data, out);
            case EVENT_MESSAGE_DELTA -> onMessageDelta(data);
            case EVENT_MESSAGE_STOP -> close(out);
            case EVENT_ERROR -> {
                return fail(SseEvent.data(JsonTrees.write(errors.translateStreamError(data))));
            }
            default -> {
                // ping and content_block_stop need nothing on the OpenAI side
            }
        }
        return out;
    }

    /**
     * Without {@code message_stop} the answer is unfinished: an in-band error, never a finish chunk. A stream that
     * produced nothing for the caller (no event, or only pings) gets nothing either, so the relay can still treat
     * the attempt as failed before its first byte.
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

    /** Ends the stream with this in-band error; nothing follows it. */
    private List<SseEvent> fail(SseEvent error) {
        closed = true;
        return List.of(error);
    }

    private void onMessageStart(JsonNode message, List<SseEvent> out) {
        if (started) {
            return;
        }
        String upstreamId = JsonTrees.text(message, ID);
        if (!JsonTrees.isEmpty(upstreamId)) {
            id = upstreamId;
        }
        usage = TokenUsage.fromAnthropic(message.get(USAGE));
        start(out);
    }

    private void onBlockStart(JsonNode data, List<SseEvent> out) {
        start(out);
        JsonNode block = data.path(CONTENT_BLOCK);
        switch (block.path(TYPE).asText()) {
            case BLOCK_TEXT -> emitDeltaText(OpenAiWire.CONTENT, JsonTrees.text(block, TEXT), out);
            case BLOCK_THINKING -> emitDeltaText(OpenAiWire.REASONING_CONTENT, JsonTrees.text(block, THINKING), out);
            case BLOCK_TOOL_USE -> {
                int toolIndex = toolCallIndexByBlock.size();
                toolCallIndexByBlock.put(data.path(INDEX).asInt(), toolIndex);
                ObjectNode call = JsonTrees.object();
                call.put(OpenAiWire.INDEX, toolIndex);
                call.put(OpenAiWire.ID, ToolCalls.openAiId(JsonTrees.text(block, ID), ids));
                call.put(OpenAiWire.TYPE, OpenAiWire.TYPE_FUNCTION);
                ObjectNode function = call.putObject(OpenAiWire.FUNCTION);
                function.put(OpenAiWire.NAME, JsonTrees.text(block, NAME));
                function.put(OpenAiWire.ARGUMENTS, "");
                out.add(toolCallChunk(call));
            }
            default -> {
                // redacted_thinking and server-tool blocks have no OpenAI form
            }
        }
    }

    private void onBlockDelta(JsonNode data, List<SseEvent> out) {
        start(out);
        JsonNode delta = data.path(DELTA);
        switch (delta.path(TYPE).asText()) {
            case DELTA_TEXT -> emitDeltaText(OpenAiWire.CONTENT, JsonTrees.text(delta, TEXT), out);
            case DELTA_THINKING -> emitDeltaText(OpenAiWire.REASONING_CONTENT, JsonTrees.text(delta, THINKING), out);
            case DELTA_SIGNATURE -> emitDeltaText(OpenAiWire.REASONING_SIGNATURE, JsonTrees.text(delta, SIGNATURE), out);
            case DELTA_INPUT_JSON -> {
                Integer toolIndex = toolCallIndexByBlock.get(data.path(INDEX).asInt());
                String fragment = JsonTrees.text(delta, PARTIAL_JSON);
                if (toolIndex != null && !JsonTrees.isEmpty(fragment)) {
                    ObjectNode call = JsonTrees.object();
                    call.put(OpenAiWire.INDEX, toolIndex);
                    call.putObject(OpenAiWire.FUNCTION).put(OpenAiWire.ARGUMENTS, fragment);
                    out.add(toolCallChunk(call));
                }
            }
            default -> {
                // citations_delta: OpenAI chunks have no place for citations
            }
        }
    }

    /** Only remembered: the finish chunk it implies goes out when message_stop confirms the answer is complete. */
    private void onMessageDelta(JsonNode data) {
        String reason = JsonTrees.text(data.path(DELTA), STOP_REASON);
        if (reason != null) {
            stopReason = reason;
        }
        usage = usage.updatedBy(data.get(USAGE));
    }

    /** The role chunk, once; a stream that skipped message_start still gets one before anything else. */
    private void start(List<SseEvent> out) {
        if (started) {
            return;
        }
        started = true;
        if (id == null) {
            id = ids.newId(OpenAiWire.COMPLETION_ID_PREFIX);
        }
        ObjectNode delta = JsonTrees.object();
        delta.put(OpenAiWire.ROLE, OpenAiWire.ROLE_ASSISTANT);
        delta.put(OpenAiWire.CONTENT, "");
        out.add(chunk(delta, null));
    }

    private void close(List<SseEvent> out) {
        start(out);
        out.add(chunk(JsonTrees.object(), StopReasons.toOpenAi(stopReason)));
        if (includeUsage) {
            ObjectNode usageChunk = chunkHeader();
            usageChunk.putArray(OpenAiWire.CHOICES);
            usageChunk.set(OpenAiWire.USAGE, usage.toOpenAi());
            out.add(SseEvent.data(JsonTrees.write(usageChunk)));
        }
        out.add(SseEvent.data(OpenAiWire.DONE));
        closed = true;
    }

    private void emitDeltaText(String field, String text, List<SseEvent> out) {
        if (!JsonTrees.isEmpty(text)) {
            ObjectNode delta = JsonTrees.object();
            delta.put(field, text);
            out.add(chunk(delta, null));
        }
    }

    private SseEvent toolCallChunk(ObjectNode call) {
        ObjectNode delta = JsonTrees.object();
        delta.putArray(OpenAiWire.TOOL_CALLS).add(call);
        return chunk(delta, null);
    }

    private SseEvent chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = chunkHeader();
        ObjectNode choice = chunk.putArray(OpenAiWire.CHOICES).addObject();
        choice.put(OpenAiWire.INDEX, 0);
        choice.set(OpenAiWire.DELTA, delta);
        choice.putNull(OpenAiWire.LOGPROBS);
        choice.put(OpenAiWire.FINISH_REASON, finishReason);
        if (includeUsage) {
            chunk.putNull(OpenAiWire.USAGE);
        }
        return SseEvent.data(JsonTrees.write(chunk));
    }

    private ObjectNode chunkHeader() {
        ObjectNode chunk = JsonTrees.object();
        chunk.put(OpenAiWire.ID, id);
        chunk.put(OpenAiWire.OBJECT, OpenAiWire.OBJECT_CHUNK);
        chunk.put(OpenAiWire.CREATED, created);
        chunk.put(OpenAiWire.MODEL, callerModel);
        return chunk;
    }
}
