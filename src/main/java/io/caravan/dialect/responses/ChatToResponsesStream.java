package io.caravan.dialect.responses;

import static io.caravan.dialect.responses.ResponsesWire.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.CommonMessages;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.UpstreamStreamFaults;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chat Completions chunks re-framed, one at a time, as a Responses event stream: every event named by its
 * {@code event:} line and its {@code type}, numbered by a {@code sequence_number} that grows by one per event, and
 * no {@code [DONE]}.
 *
 * <p>Order: {@code response.created} and {@code response.in_progress} on the first chunk; for a run of reasoning
 * ({@code reasoning_content}, and the thinking signature in {@code reasoning_signature}) a {@code reasoning} item
 * ({@code output_item.added}, {@code reasoning_summary_part.added}, its {@code reasoning_summary_text.delta}s, then
 * {@code reasoning_summary_text.done}, {@code reasoning_summary_part.done}, {@code output_item.done} with the signature
 * sealed in {@code encrypted_content}); for a run of text an assistant {@code message} item ({@code output_item.added},
 * {@code content_part.added}, its {@code output_text.delta}s, then {@code output_text.done}, {@code content_part.done},
 * {@code output_item.done}); for each tool call a {@code function_call} item ({@code output_item.added}, its
 * {@code function_call_arguments.delta}s, then {@code function_call_arguments.done} and {@code output_item.done}). One
 * item is open at a time: an item is closed when the next begins or the finish reason comes (fragments of a call
 * already closed, from an upstream interleaving parallel calls, which OpenAI does not do, are dropped). Once the usage
 * chunk that follows the finish chunk has come (or {@code [DONE]}, or the end of the stream), the stream ends with
 * {@code response.completed}, or {@code response.incomplete} when the answer was cut by the token limit or content
 * filter, carrying the whole response with its output and usage.
 *
 * <p>A stream is never left without one of the terminal events once it has started: an upstream error chunk, an
 * event that is not a JSON object, or an end (or {@code [DONE]}) before any finish reason ends it with
 * {@code response.failed} and its {@code error.code}; so does the gateway cutting it short ({@link #cutShort}).
 * Nothing follows a terminal event. A stream that produced nothing produces nothing at its end either, so that the
 * relay may still fail the attempt before its first byte.
 */
final class ChatToResponsesStream implements StreamTranslator {

    private static final int TEXT_ITEM = -1;
    private static final int REASONING_ITEM = -2;
    /** The one summary part a reasoning item gets: the upstream's reasoning text, whole. */
    private static final int SUMMARY_INDEX_0 = 0;

    private final String callerModel;
    private final IdGenerator ids;
    private final Clock clock;
    /** Every output item so far, by output index: the open ones as they were added, the closed ones final. */
    private final List<ObjectNode> output = new ArrayList<>();
    /**
     * The items still open, by chat tool call index ({@link #TEXT_ITEM} for text, {@link #REASONING_ITEM} for
     * reasoning), in output order.
     */
    private final Map<Integer, OpenItem> open = new LinkedHashMap<>();
    private final Set<Integer> seenCalls = new HashSet<>();

    private ObjectNode response;
    private int sequence;
    private boolean closed;
    private boolean finished;
    private String finishReason;
    private JsonNode chatUsage;

    ChatToResponsesStream(String callerModel, IdGenerator ids, Clock clock) {
        this.callerModel = callerModel;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent upstreamEvent) {
        String data = upstreamEvent.data();
        if (closed || data.isBlank()) {
            return List.of();
        }
        if (CHAT_DONE.equals(data.strip())) {
            return finished ? complete() : endUnfinished();
        }
        JsonNode chunk = JsonTrees.parseOrNull(data);
        if (chunk == null || !chunk.isObject()) {
            return fail(ChatToResponsesError.failure(UpstreamStreamFaults.STATUS, UpstreamStreamFaults.MALFORMED_EVENT));
        }
        if (chunk.has(ERROR)) {
            return fail(ChatToResponsesError.streamError(chunk.get(ERROR)));
        }
        List<SseEvent> out = new ArrayList<>(4);
        start(JsonTrees.count(chunk, CHAT_CREATED), out);
        JsonNode usage = chunk.get(USAGE);
        if (usage != null && usage.isObject()) {
            chatUsage = usage;
        }
        JsonNode choice = chunk.path(CHAT_CHOICES).path(0);
        if (choice.isObject() && !finished) {
            JsonNode delta = choice.path(DELTA);
            String reasoning = CommonMessages.reasoningText(delta);
            if (!JsonTrees.isEmpty(reasoning)) {
                onReasoning(reasoning, out);
            }
            String signature = JsonTrees.text(delta, CHAT_REASONING_SIGNATURE);
            if (!JsonTrees.isEmpty(signature)) {
                reasoningItem(out).signature.append(signature);
            }
            String text = JsonTrees.text(delta, CONTENT);
            if (JsonTrees.isEmpty(text)) {
                text = JsonTrees.text(delta, REFUSAL);
            }
            if (!JsonTrees.isEmpty(text)) {
                onText(text, out);
            }
            int position = 0;
            for (JsonNode call : JsonTrees.elements(delta, CHAT_TOOL_CALLS)) {
                // Gemini's OpenAI-compatible endpoint omits the index; the position in the array stands in for it
                onToolCall(call, call.has(CHAT_INDEX) ? call.get(CHAT_INDEX).asInt() : position, out);
                position++;
            }
            String reason = JsonTrees.text(choice, CHAT_FINISH_REASON);
            if (reason != null) {
                finishReason = reason;
                finished = true;
                closeAll(out);
            }
        }
        if (finished && chatUsage != null) {
            out.addAll(complete());
        }
        return out;
    }

    /** A finished answer whose usage or {@code [DONE]} never came is completed; an unfinished one fails. */
    @Override
    public List<SseEvent> onEnd() {
        if (closed) {
            return List.of();
        }
        return finished ? complete() : endUnfinished();
    }

    @Override
    public SseEvent cutShort(int status, String message) {
        if (closed) {
            return null;
        }
        List<SseEvent> out = fail(ChatToResponsesError.failure(status, message));
        return out.get(out.size() - 1);
    }

    /**
     * {@code response.failed} for an error body in the Chat Completions shape ({@code {"error":{…}}}), as the
     * next event of this stream (the first, for a stream that has produced nothing).
     */
    SseEvent failedWith(JsonNode errorBody) {
        List<SseEvent> out = fail(ChatToResponsesError.streamError(errorBody == null ? null : errorBody.get(ERROR)));
        return out.get(out.size() - 1);
    }

    private List<SseEvent> endUnfinished() {
        if (response == null) {
            closed = true;
            return List.of();
        }
        return fail(ChatToResponsesError.failure(UpstreamStreamFaults.STATUS, UpstreamStreamFaults.ENDED_EARLY));
    }

    /** {@code response.failed} with this error and the output so far; nothing follows it. */
    private List<SseEvent> fail(ObjectNode error) {
        closed = true;
        if (response == null) {
            response = ResponseObject.skeleton(ids.newId(RESPONSE_ID_PREFIX), clock.instant().getEpochSecond(),
                    callerModel, STATUS_FAILED);
        }
        ObjectNode failed = snapshot(STATUS_FAILED);
        failed.set(ERROR, error);
        if (chatUsage != null) {
            failed.set(USAGE, ResponseObject.usage(chatUsage));
        }
        return List.of(event(EVENT_FAILED, JsonTrees.object().set(RESPONSE, failed)));
    }

    private List<SseEvent> complete() {
        List<SseEvent> out = new ArrayList<>(4);
        closeAll(out);
        ObjectNode done = snapshot(STATUS_COMPLETED);
        ResponseObject.finish(done, finishReason);
        done.set(USAGE, ResponseObject.usage(chatUsage));
        String type = STATUS_INCOMPLETE.equals(JsonTrees.text(done, STATUS)) ? EVENT_INCOMPLETE : EVENT_COMPLETED;
        out.add(event(type, JsonTrees.object().set(RESPONSE, done)));
        closed = true;
        return out;
    }

    private void start(long created, List<SseEvent> out) {
        if (response != null) {
            return;
        }
        response = ResponseObject.skeleton(ids.newId(RESPONSE_ID_PREFIX),
                created > 0 ? created : clock.instant().getEpochSecond(), callerModel, STATUS_IN_PROGRESS);
        out.add(event(EVENT_CREATED, JsonTrees.object().set(RESPONSE, snapshot(STATUS_IN_PROGRESS))));
        out.add(event(EVENT_IN_PROGRESS, JsonTrees.object().set(RESPONSE, snapshot(STATUS_IN_PROGRESS))));
    }

    /** The open reasoning item, or a new one (closing the item before it). */
    private OpenItem reasoningItem(List<SseEvent> out) {
        OpenItem item = open.get(REASONING_ITEM);
        if (item == null) {
            closeAll(out);
            item = new OpenItem(Kind.REASONING, ids.newId(REASONING_ID_PREFIX), output.size(), null, null);
            open.put(REASONING_ITEM, item);
            ObjectNode added = ResponseObject.reasoningItem(item.id, null, null);
            output.add(added);
            out.add(event(EVENT_ITEM_ADDED, itemFields(item).set(ITEM, added.deepCopy())));
        }
        return item;
    }

    /** Reasoning text: the item's one summary part opens with the first of it. */
    private void onReasoning(String text, List<SseEvent> out) {
        OpenItem item = reasoningItem(out);
        if (!item.summaryOpen) {
            item.summaryOpen = true;
            out.add(event(EVENT_SUMMARY_PART_ADDED, summaryFields(item).set(PART, ResponseObject.summaryPart(""))));
        }
        item.content.append(text);
        out.add(event(EVENT_SUMMARY_TEXT_DELTA, summaryFields(item).put(DELTA, text)));
    }

    private void onText(String text, List<SseEvent> out) {
        OpenItem item = open.get(TEXT_ITEM);
        if (item == null) {
            closeAll(out);
            item = new OpenItem(Kind.MESSAGE, ids.newId(MESSAGE_ID_PREFIX), output.size(), null, null);
            open.put(TEXT_ITEM, item);
            ObjectNode added = ResponseObject.messageItem(item.id, STATUS_IN_PROGRESS, null);
            output.add(added);
            out.add(event(EVENT_ITEM_ADDED, itemFields(item).set(ITEM, added.deepCopy())));
            out.add(event(EVENT_PART_ADDED, partFields(item).set(PART, ResponseObject.textPart(""))));
        }
        item.content.append(text);
        out.add(event(EVENT_TEXT_DELTA, partFields(item).put(DELTA, text).set(LOGPROBS, JsonTrees.array())));
    }

    private void onToolCall(JsonNode call, int index, List<SseEvent> out) {
        JsonNode function = call.path(CHAT_FUNCTION);
        OpenItem item = open.get(index);
        if (item == null) {
            if (!seenCalls.add(index)) {
                // fragments of a call already closed: they can no longer be placed
                return;
            }
            // one item at a time, as the Responses API streams them: a new call closes the text or call before it
            closeAll(out);
            String callId = JsonTrees.text(call, ID);
            String name = JsonTrees.text(function, NAME);
            item = new OpenItem(Kind.FUNCTION_CALL, ids.newId(FUNCTION_CALL_ID_PREFIX), output.size(),
                    JsonTrees.isEmpty(callId) ? ids.newId(CALL_ID_PREFIX) : callId, name == null ? "" : name);
            open.put(index, item);
            ObjectNode added = ResponseObject.functionCallItem(item.id, STATUS_IN_PROGRESS, item.callId, item.name, "");
            output.add(added);
            out.add(event(EVENT_ITEM_ADDED, itemFields(item).set(ITEM, added.deepCopy())));
        }
        String arguments = JsonTrees.text(function, ARGUMENTS);
        if (!JsonTrees.isEmpty(arguments)) {
            item.content.append(arguments);
            out.add(event(EVENT_ARGUMENTS_DELTA, itemFields(item).put(ITEM_ID, item.id).put(DELTA, arguments)));
        }
    }

    private void closeAll(List<SseEvent> out) {
        String status = ResponseObject.incompleteReason(finishReason) == null ? STATUS_COMPLETED : STATUS_INCOMPLETE;
        for (OpenItem item : open.values()) {
            close(item, status, out);
        }
        open.clear();
    }

    private void close(OpenItem item, String status, List<SseEvent> out) {
        String content = item.content.toString();
        ObjectNode done = switch (item.kind) {
            case MESSAGE -> {
                out.add(event(EVENT_TEXT_DONE, partFields(item).put(TEXT, content).set(LOGPROBS, JsonTrees.array())));
                out.add(event(EVENT_PART_DONE, partFields(item).set(PART, ResponseObject.textPart(content))));
                yield ResponseObject.messageItem(item.id, status, content);
            }
            case FUNCTION_CALL -> {
                out.add(event(EVENT_ARGUMENTS_DONE, itemFields(item).put(ITEM_ID, item.id).put(NAME, item.name)
                        .put(ARGUMENTS, content)));
                yield ResponseObject.functionCallItem(item.id, STATUS_COMPLETED, item.callId, item.name, content);
            }
            case REASONING -> {
                if (item.summaryOpen) {
                    out.add(event(EVENT_SUMMARY_TEXT_DONE, summaryFields(item).put(TEXT, content)));
                    out.add(event(EVENT_SUMMARY_PART_DONE, summaryFields(item).set(PART,
                            ResponseObject.summaryPart(content))));
                }
                yield ResponseObject.reasoningItem(item.id, content, item.signature.toString());
            }
        };
        output.set(item.outputIndex, done);
        out.add(event(EVENT_ITEM_DONE, itemFields(item).set(ITEM, done.deepCopy())));
    }

    /** The response as it stands, with this status and a copy of the output so far. */
    private ObjectNode snapshot(String status) {
        ObjectNode copy = response.deepCopy();
        copy.put(STATUS, status);
        ArrayNode items = copy.putArray(OUTPUT);
        for (ObjectNode item : output) {
            items.add(item.deepCopy());
        }
        return copy;
    }

    private static ObjectNode itemFields(OpenItem item) {
        return JsonTrees.object().put(OUTPUT_INDEX, item.outputIndex);
    }

    private static ObjectNode summaryFields(OpenItem item) {
        return JsonTrees.object().put(ITEM_ID, item.id).put(OUTPUT_INDEX, item.outputIndex)
                .put(SUMMARY_INDEX, SUMMARY_INDEX_0);
    }

    private static ObjectNode partFields(OpenItem item) {
        return JsonTrees.object().put(ITEM_ID, item.id).put(OUTPUT_INDEX, item.outputIndex).put(CONTENT_INDEX, 0);
    }

    /** A Responses event: its name on the {@code event:} line, as the data's {@code type}, then its number. */
    private SseEvent event(String type, ObjectNode fields) {
        ObjectNode data = JsonTrees.object();
        data.put(TYPE, type);
        data.put(SEQUENCE_NUMBER, sequence++);
        data.setAll(fields);
        return SseEvent.named(type, JsonTrees.write(data));
    }

    private enum Kind { MESSAGE, FUNCTION_CALL, REASONING }

    /**
     * An output item still receiving deltas: a message, a function call (with its call id and name) or a reasoning
     * item (whose content is its summary text).
     */
    private static final class OpenItem {
        final Kind kind;
        final String id;
        final int outputIndex;
        final String callId;
        final String name;
        final StringBuilder content = new StringBuilder();
        final StringBuilder signature = new StringBuilder();
        boolean summaryOpen;

        OpenItem(Kind kind, String id, int outputIndex, String callId, String name) {
            this.kind = kind;
            this.id = id;
            this.outputIndex = outputIndex;
            this.callId = callId;
            this.name = name;
        }
    }
}
