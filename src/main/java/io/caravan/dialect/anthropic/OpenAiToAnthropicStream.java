package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.AnthropicWire.CONTENT_BLOCK;
import static io.caravan.dialect.anthropic.AnthropicWire.DELTA;
import static io.caravan.dialect.anthropic.AnthropicWire.DELTA_INPUT_JSON;
import static io.caravan.dialect.anthropic.AnthropicWire.DELTA_SIGNATURE;
import static io.caravan.dialect.anthropic.AnthropicWire.DELTA_TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.DELTA_THINKING;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_CONTENT_BLOCK_DELTA;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_CONTENT_BLOCK_START;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_CONTENT_BLOCK_STOP;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_ERROR;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_MESSAGE_DELTA;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_MESSAGE_START;
import static io.caravan.dialect.anthropic.AnthropicWire.EVENT_MESSAGE_STOP;
import static io.caravan.dialect.anthropic.AnthropicWire.INDEX;
import static io.caravan.dialect.anthropic.AnthropicWire.PARTIAL_JSON;
import static io.caravan.dialect.anthropic.AnthropicWire.SIGNATURE;
import static io.caravan.dialect.anthropic.AnthropicWire.STOP_REASON;
import static io.caravan.dialect.anthropic.AnthropicWire.STOP_SEQUENCE;
import static io.caravan.dialect.anthropic.AnthropicWire.TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.CommonMessages;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.UpstreamStreamFaults;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * OpenAI chat completion chunks re-framed, one at a time, as Anthropic stream events.
 *
 * <p>Output order is the one Anthropic's SDKs require: {@code message_start} (on the first chunk), then for each
 * run of reasoning, text or one tool call a {@code content_block_start}, its deltas and a
 * {@code content_block_stop} (a block is closed when the next kind of content begins), then {@code message_delta}
 * with the stop reason and usage, then {@code message_stop}. Every tool_use block opens with an
 * {@code input_json_delta} whose {@code partial_json} is empty, as Anthropic's do.
 *
 * <p>Usage: input counts are unknown when {@code message_start} must go out, so it reports zeros and
 * {@code message_delta} carries the full usage (input, cache and output tokens; the SDKs take input counts from it).
 * OpenAI sends the usage chunk ({@code choices:[]}) after the finish_reason chunk, so {@code message_delta} and
 * {@code message_stop} wait for the usage, or for {@code [DONE]} / the end of the stream if none comes.
 *
 * <p>An OpenAI stream has finished when a choice arrived with a non-null {@code finish_reason}; {@code [DONE]} only
 * ends the stream. {@code [DONE]} or the end of the response without a finish_reason means the answer was cut short:
 * the caller gets an Anthropic {@code error} event, never a {@code message_delta}/{@code message_stop} that would
 * present a partial answer as complete. So does a stream carrying an event whose data is not a JSON object.
 *
 * <p>Anthropic blocks cannot interleave: argument fragments for a tool call whose block was already closed (an
 * upstream interleaving parallel calls, which OpenAI itself does not do) cannot be expressed and are dropped. An
 * upstream chunk with an {@code error} key becomes an Anthropic {@code error} event, after which nothing more is
 * produced.
 */
public final class OpenAiToAnthropicStream implements StreamTranslator {

    private enum BlockKind { THINKING, TEXT, TOOL_USE }

    private final String callerModel;
    private final String requestId;
    private final IdGenerator ids;
    private final OpenAiToAnthropicError errors;
    private final Set<Integer> startedToolCalls = new HashSet<>();

    private boolean started;
    private boolean closed;
    private BlockKind openBlock;
    private int openBlockIndex = -1;
    private int openToolCall = -1;
    private String stopReason;
    private boolean finished;
    private boolean usageSeen;
    private TokenUsage usage = TokenUsage.NONE;

    /** @param requestId the gateway's id for the request, quoted in the errors the stream may end with */
    public OpenAiToAnthropicStream(String callerModel, String requestId, IdGenerator ids) {
        this.callerModel = callerModel;
        this.requestId = requestId;
        this.ids = ids;
        this.errors = new OpenAiToAnthropicError();
    }

    @Override
    public List<SseEvent> onEvent(SseEvent upstreamEvent) {
        String data = upstreamEvent.data();
        if (closed || data.isBlank()) {
            return List.of();
        }
        if (OpenAiWire.DONE.equals(data.strip())) {
            return finished ? close() : endUnfinished();
        }
        JsonNode chunk = JsonTrees.parseOrNull(data);
        if (chunk == null || !chunk.isObject()) {
            return fail(UpstreamStreamFaults.malformedEvent(AnthropicDialect.INSTANCE, requestId));
        }
        if (chunk.has(OpenAiWire.ERROR)) {
            return fail(event(EVENT_ERROR, errors.translateStreamError(chunk.get(OpenAiWire.ERROR))));
        }
        List<SseEvent> out = new ArrayList<>(4);
        start(JsonTrees.text(chunk, OpenAiWire.ID), out);
        JsonNode chunkUsage = chunk.get(OpenAiWire.USAGE);
        if (chunkUsage != null && chunkUsage.isObject()) {
            usage = TokenUsage.fromOpenAi(chunkUsage);
            usageSeen = true;
        }
        JsonNode choice = chunk.path(OpenAiWire.CHOICES).path(0);
        if (choice.isObject()) {
            onDelta(choice.path(OpenAiWire.DELTA), out);
            String finishReason = JsonTrees.text(choice, OpenAiWire.FINISH_REASON);
            if (finishReason != null) {
                closeOpenBlock(out);
                stopReason = StopReasons.toAnthropic(finishReason);
                finished = true;
            }
        }
        if (finished && usageSeen) {
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

    /**
     * The upstream stopped before any finish_reason. A stream that produced nothing for the caller gets nothing
     * either, so the relay can still treat the attempt as failed before its first byte.
     */
    private List<SseEvent> endUnfinished() {
        if (!started) {
            closed = true;
            return List.of();
        }
        return fail(UpstreamStreamFaults.endedEarly(AnthropicDialect.INSTANCE, requestId));
    }

    /** Ends the stream with this in-band error; nothing follows it, not even the stop of an open block. */
    private List<SseEvent> fail(SseEvent error) {
        closed = true;
        return List.of(error);
    }

    private void onDelta(JsonNode delta, List<SseEvent> out) {
        String reasoning = CommonMessages.reasoningText(delta);
        if (!JsonTrees.isEmpty(reasoning)) {
            ensureBlock(BlockKind.THINKING, out);
            out.add(blockDelta(DELTA_THINKING, AnthropicWire.THINKING, reasoning));
        }
        String signature = JsonTrees.text(delta, OpenAiWire.REASONING_SIGNATURE);
        if (!JsonTrees.isEmpty(signature)) {
            // another Caravan upstream relaying Anthropic thinking: the signature closes its thinking block
            ensureBlock(BlockKind.THINKING, out);
            out.add(blockDelta(DELTA_SIGNATURE, SIGNATURE, signature));
        }
        String text = JsonTrees.text(delta, OpenAiWire.CONTENT);
        if (!JsonTrees.isEmpty(text)) {
            ensureBlock(BlockKind.TEXT, out);
            out.add(blockDelta(DELTA_TEXT, AnthropicWire.TEXT, text));
        }
        int position = 0;
        for (JsonNode call : JsonTrees.elements(delta, OpenAiWire.TOOL_CALLS)) {
            onToolCallDelta(call, position++, out);
        }
    }

    private void onToolCallDelta(JsonNode call, int position, List<SseEvent> out) {
        // Gemini's OpenAI-compatible endpoint omits the index; the position in the array stands in for it
        int index = call.has(OpenAiWire.INDEX) ? call.get(OpenAiWire.INDEX).asInt() : position;
        JsonNode function = call.path(OpenAiWire.FUNCTION);
        if (startedToolCalls.add(index)) {
            closeOpenBlock(out);
            ObjectNode block = JsonTrees.object();
            block.put(TYPE, AnthropicWire.BLOCK_TOOL_USE);
            block.put(AnthropicWire.ID, ToolCalls.anthropicId(JsonTrees.text(call, OpenAiWire.ID), ids));
            String name = JsonTrees.text(function, OpenAiWire.NAME);
            block.put(AnthropicWire.NAME, name == null ? "" : name);
            block.putObject(AnthropicWire.INPUT);
            openBlock(BlockKind.TOOL_USE, block, out);
            openToolCall = index;
            out.add(blockDelta(DELTA_INPUT_JSON, PARTIAL_JSON, ""));
        } else if (openBlock != BlockKind.TOOL_USE || openToolCall != index) {
            return;
        }
        String arguments = JsonTrees.text(function, OpenAiWire.ARGUMENTS);
        if (!JsonTrees.isEmpty(arguments)) {
            out.add(blockDelta(DELTA_INPUT_JSON, PARTIAL_JSON, arguments));
        }
    }

    /** message_start, once, before any other event; the upstream chunk id becomes the message id. */
    private void start(String upstreamId, List<SseEvent> out) {
        if (started) {
            return;
        }
        started = true;
        ObjectNode message = JsonTrees.object();
        message.put(AnthropicWire.ID, JsonTrees.isEmpty(upstreamId) ? ids.newId(AnthropicWire.MESSAGE_ID_PREFIX) : upstreamId);
        message.put(TYPE, AnthropicWire.TYPE_MESSAGE);
        message.put(AnthropicWire.ROLE, AnthropicWire.ROLE_ASSISTANT);
        message.put(AnthropicWire.MODEL, callerModel);
        message.putArray(AnthropicWire.CONTENT);
        message.putNull(STOP_REASON);
        message.putNull(STOP_SEQUENCE);
        message.set(AnthropicWire.USAGE, TokenUsage.NONE.toAnthropic());
        ObjectNode data = JsonTrees.object();
        data.set(AnthropicWire.MESSAGE, message);
        out.add(event(EVENT_MESSAGE_START, data));
    }

    /** Opens a thinking or text block unless one of that kind is already open. */
    private void ensureBlock(BlockKind kind, List<SseEvent> out) {
        if (openBlock == kind) {
            return;
        }
        closeOpenBlock(out);
        ObjectNode block = JsonTrees.object();
        if (kind == BlockKind.THINKING) {
            block.put(TYPE, AnthropicWire.BLOCK_THINKING);
            block.put(AnthropicWire.THINKING, "");
            block.put(SIGNATURE, "");
        } else {
            block.put(TYPE, AnthropicWire.BLOCK_TEXT);
            block.put(AnthropicWire.TEXT, "");
        }
        openBlock(kind, block, out);
    }

    private void openBlock(BlockKind kind, ObjectNode contentBlock, List<SseEvent> out) {
        openBlock = kind;
        openBlockIndex++;
        ObjectNode data = JsonTrees.object();
        data.put(INDEX, openBlockIndex);
        data.set(CONTENT_BLOCK, contentBlock);
        out.add(event(EVENT_CONTENT_BLOCK_START, data));
    }

    private void closeOpenBlock(List<SseEvent> out) {
        if (openBlock == null) {
            return;
        }
        openBlock = null;
        openToolCall = -1;
        ObjectNode data = JsonTrees.object();
        data.put(INDEX, openBlockIndex);
        out.add(event(EVENT_CONTENT_BLOCK_STOP, data));
    }

    private List<SseEvent> close() {
        List<SseEvent> out = new ArrayList<>(4);
        start(null, out);
        closeOpenBlock(out);
        ObjectNode messageDelta = JsonTrees.object();
        ObjectNode delta = messageDelta.putObject(DELTA);
        delta.put(STOP_REASON, stopReason == null ? AnthropicWire.STOP_END_TURN : stopReason);
        delta.putNull(STOP_SEQUENCE);
        messageDelta.set(AnthropicWire.USAGE, usage.toAnthropic());
        out.add(event(EVENT_MESSAGE_DELTA, messageDelta));
        out.add(event(EVENT_MESSAGE_STOP, JsonTrees.object()));
        closed = true;
        return out;
    }

    private SseEvent blockDelta(String deltaType, String field, String value) {
        ObjectNode data = JsonTrees.object();
        data.put(INDEX, openBlockIndex);
        ObjectNode delta = data.putObject(DELTA);
        delta.put(TYPE, deltaType);
        delta.put(field, value);
        return event(EVENT_CONTENT_BLOCK_DELTA, data);
    }

    /** An Anthropic event: the name on the {@code event:} line and as the data's leading {@code type}. */
    private static SseEvent event(String name, ObjectNode fields) {
        ObjectNode data = JsonTrees.object();
        data.put(TYPE, name);
        data.setAll(fields);
        return SseEvent.named(name, JsonTrees.write(data));
    }
}
