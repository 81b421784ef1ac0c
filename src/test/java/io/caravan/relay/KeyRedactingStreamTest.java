package io.caravan.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.SseEvent;
import io.caravan.dialects.Dialects;
import io.caravan.support.KeyRedactor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A provider's mid-stream error quoting the key reaches the caller masked; ordinary events pass untouched. */
class KeyRedactingStreamTest {

    private static final String KEY = "sk-ant-api03-QwErTyUiOpAsDfGhJkLzXcVbNm";

    private static KeyRedactingStream stream(Dialect dialect) {
        return new KeyRedactingStream(new PassthroughStream(dialect, "req_1"), KeyRedactor.of(KEY));
    }

    @Test
    void anAnthropicErrorEventQuotingTheKeyIsMasked() {
        List<SseEvent> out = stream(Dialects.ANTHROPIC).onEvent(SseEvent.named("error",
                "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"key " + KEY + " is over quota\"}}"));
        assertEquals(1, out.size());
        assertFalse(out.get(0).data().contains(KEY.substring(10, 18)), out.get(0).data());
        assertTrue(out.get(0).data().contains("key " + KeyRedactor.MARK + " is over quota"), out.get(0).data());
    }

    @Test
    void anOpenAiErrorChunkQuotingPartOfTheKeyIsMasked() {
        List<SseEvent> out = stream(Dialects.OPENAI).onEvent(SseEvent.data(
                "{\"error\":{\"message\":\"key ending " + KEY.substring(KEY.length() - 10) + " refused\"}}"));
        assertEquals("{\"error\":{\"message\":\"key ending " + KeyRedactor.MARK + " refused\"}}", out.get(0).data());
    }

    @Test
    void ordinaryEventsAreNotTouchedEvenWhenTheyLookLikeTheKey() {
        SseEvent content = SseEvent.data("{\"choices\":[{\"delta\":{\"content\":\"" + KEY + "\"}}]}");
        List<SseEvent> out = stream(Dialects.OPENAI).onEvent(content);
        assertSame(content, out.get(0));
    }
}
