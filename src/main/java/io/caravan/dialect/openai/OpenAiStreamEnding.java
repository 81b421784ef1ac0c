package io.caravan.dialect.openai;

import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamEnding;

/**
 * An OpenAI stream ends with {@code data: [DONE]}; a chunk with a {@code finish_reason} shows the answer complete,
 * so a stream that stops after it only lacks the terminator. Read from the raw text, without parsing the chunk.
 */
final class OpenAiStreamEnding implements StreamEnding {

    static final OpenAiStreamEnding INSTANCE = new OpenAiStreamEnding();

    private static final String DONE_DATA = "[DONE]";
    private static final SseEvent DONE = SseEvent.data(DONE_DATA);
    private static final String FINISH_REASON = "\"finish_reason\":\"";
    private static final String FINISH_REASON_SPACED = "\"finish_reason\": \"";

    private OpenAiStreamEnding() {
    }

    @Override
    public boolean closes(SseEvent event) {
        return DONE_DATA.equals(event.data());
    }

    @Override
    public boolean finishesAnswer(SseEvent event) {
        return event.data().contains(FINISH_REASON) || event.data().contains(FINISH_REASON_SPACED);
    }

    @Override
    public SseEvent terminator() {
        return DONE;
    }
}
