package io.caravan.dialect.responses;

import static io.caravan.dialect.responses.ResponsesWire.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.CommonMessages;
import io.caravan.dialect.IdGenerator;
import io.caravan.dialect.JsonTrees;
import java.time.Clock;

/**
 * A whole Chat Completions answer (its first choice) as a Responses {@code response}: the reasoning, when there is
 * any, as a {@code reasoning} item first (as the Responses API puts it), the text (or a refusal, when there is no
 * text) as one assistant {@code message} item, then one {@code function_call} item per tool call, the finish reason
 * as status, and the usage with its cached and reasoning token details.
 */
final class ChatToResponsesAnswer {

    private final IdGenerator ids;
    private final Clock clock;

    ChatToResponsesAnswer(IdGenerator ids, Clock clock) {
        this.ids = ids;
        this.clock = clock;
    }

    ObjectNode translate(ObjectNode chat, String callerModel) {
        JsonNode choice = chat.path(CHAT_CHOICES).path(0);
        JsonNode message = choice.path(MESSAGE);
        long created = JsonTrees.count(chat, CHAT_CREATED);
        ObjectNode response = ResponseObject.skeleton(ids.newId(RESPONSE_ID_PREFIX),
                created > 0 ? created : clock.instant().getEpochSecond(), callerModel, STATUS_COMPLETED);
        String finishReason = JsonTrees.text(choice, CHAT_FINISH_REASON);
        ResponseObject.finish(response, finishReason);
        String itemStatus = ResponseObject.incompleteReason(finishReason) == null ? STATUS_COMPLETED : STATUS_INCOMPLETE;

        ArrayNode output = response.withArray(OUTPUT);
        String reasoning = CommonMessages.reasoningText(message);
        String signature = JsonTrees.text(message, CHAT_REASONING_SIGNATURE);
        if (!JsonTrees.isEmpty(reasoning) || !JsonTrees.isEmpty(signature)) {
            output.add(ResponseObject.reasoningItem(ids.newId(REASONING_ID_PREFIX), reasoning, signature));
        }
        String text = CommonMessages.contentText(message.path(CONTENT));
        if (text.isEmpty() && !JsonTrees.isEmpty(JsonTrees.text(message, REFUSAL))) {
            ObjectNode item = ResponseObject.messageItem(ids.newId(MESSAGE_ID_PREFIX), itemStatus, null);
            item.withArray(CONTENT).addObject().put(TYPE, PART_REFUSAL).put(REFUSAL, JsonTrees.text(message, REFUSAL));
            output.add(item);
        } else if (!text.isEmpty()) {
            output.add(ResponseObject.messageItem(ids.newId(MESSAGE_ID_PREFIX), itemStatus, text));
        }
        for (JsonNode call : JsonTrees.elements(message, CHAT_TOOL_CALLS)) {
            JsonNode function = call.path(CHAT_FUNCTION);
            String callId = JsonTrees.text(call, ID);
            String arguments = JsonTrees.text(function, ARGUMENTS);
            output.add(ResponseObject.functionCallItem(ids.newId(FUNCTION_CALL_ID_PREFIX), STATUS_COMPLETED,
                    JsonTrees.isEmpty(callId) ? ids.newId(CALL_ID_PREFIX) : callId, JsonTrees.text(function, NAME),
                    arguments == null ? "" : arguments));
        }
        response.set(USAGE, ResponseObject.usage(chat.get(USAGE)));
        return response;
    }
}
