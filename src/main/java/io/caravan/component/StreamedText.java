package io.caravan.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The text of a streamed answer, put together from its events as they pass, in the endpoint's dialect: what the
 * exchange that asked for the stream gets as its body once the stream is over. Reasoning (Gemini's thought parts)
 * is not text of the answer. One instance reads one stream, on one thread at a time.
 */
final class StreamedText {

    private final ObjectMapper mapper;
    private final CaravanApi api;
    private final StringBuilder text = new StringBuilder();

    StreamedText(ObjectMapper mapper, CaravanApi api) {
        this.mapper = mapper;
        this.api = api;
    }

    void onEvent(String name, String data) {
        JsonNode event;
        try {
            event = mapper.readTree(data);
        } catch (IOException notJson) {
            // [DONE], or a keep-alive an upstream sent as data: no text in it.
            return;
        }
        if (event == null) {
            return;
        }
        switch (api) {
            case CHAT -> append(event.path("choices").path(0).path("delta").path("content"));
            case MESSAGES -> {
                if ("content_block_delta".equals(event.path("type").asText())) {
                    append(event.path("delta").path("text"));
                }
            }
            case RESPONSES -> {
                if ("response.output_text.delta".equals(event.path("type").asText())) {
                    append(event.path("delta"));
                }
            }
            case GEMINI -> {
                for (JsonNode part : event.path("candidates").path(0).path("content").path("parts")) {
                    if (!part.path("thought").asBoolean(false)) {
                        append(part.path("text"));
                    }
                }
            }
            case EMBEDDINGS -> {
                // Not streamed.
            }
        }
    }

    private void append(JsonNode value) {
        if (value.isTextual()) {
            text.append(value.asText());
        }
    }

    String text() {
        return text.toString();
    }
}
