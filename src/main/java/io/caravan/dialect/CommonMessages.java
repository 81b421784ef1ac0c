package io.caravan.dialect;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reading an assistant message (or stream delta) of the common model, Chat Completions, the way every translator out
 * of it must: OpenAI-compatible servers differ in what they name reasoning and in how they write content.
 */
public final class CommonMessages {

    private static final String REASONING_CONTENT = "reasoning_content";
    private static final String REASONING = "reasoning";
    private static final String TEXT = "text";

    private CommonMessages() {
    }

    /** {@code reasoning_content}, or {@code reasoning} as some servers (OpenRouter, Ollama) name it; null for neither. */
    public static String reasoningText(JsonNode messageOrDelta) {
        String reasoning = JsonTrees.text(messageOrDelta, REASONING_CONTENT);
        return reasoning != null ? reasoning : JsonTrees.text(messageOrDelta, REASONING);
    }

    /** {@code content} is normally a string; a few servers send an array of text parts. */
    public static String contentText(JsonNode content) {
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            String partText = JsonTrees.text(part, TEXT);
            if (partText != null) {
                text.append(partText);
            }
        }
        return text.toString();
    }
}
