package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_DOCUMENT;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_IMAGE;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.DATA;
import static io.caravan.dialect.anthropic.AnthropicWire.MEDIA_TYPE;
import static io.caravan.dialect.anthropic.AnthropicWire.SOURCE;
import static io.caravan.dialect.anthropic.AnthropicWire.SOURCE_BASE64;
import static io.caravan.dialect.anthropic.AnthropicWire.SOURCE_TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.SOURCE_URL;
import static io.caravan.dialect.anthropic.AnthropicWire.TEXT;
import static io.caravan.dialect.anthropic.AnthropicWire.TITLE;
import static io.caravan.dialect.anthropic.AnthropicWire.TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;

/** Anthropic content blocks as OpenAI content parts. */
final class AnthropicContentToOpenAi {

    private AnthropicContentToOpenAi() {
    }

    /**
     * The OpenAI part for a text, image or document block; null for blocks that are not content OpenAI can take
     * (tool blocks are handled by the message translator, thinking is not replayed, server-tool blocks stay at
     * Anthropic), and for empty text.
     */
    static ObjectNode part(JsonNode block) {
        return switch (block.path(TYPE).asText()) {
            case BLOCK_TEXT -> textPart(JsonTrees.text(block, TEXT));
            case BLOCK_IMAGE -> imagePart(block.get(SOURCE));
            case BLOCK_DOCUMENT -> documentPart(block);
            default -> null;
        };
    }

    static ObjectNode textPart(String text) {
        if (JsonTrees.isEmpty(text)) {
            return null;
        }
        ObjectNode part = JsonTrees.object();
        part.put(OpenAiWire.TYPE, OpenAiWire.TEXT);
        part.put(OpenAiWire.TEXT, text);
        return part;
    }

    private static ObjectNode imagePart(JsonNode source) {
        String url = switch (source == null ? "" : source.path(TYPE).asText()) {
            case SOURCE_BASE64 -> new DataUrl(JsonTrees.text(source, MEDIA_TYPE), JsonTrees.text(source, DATA)).toUrl();
            case SOURCE_URL -> JsonTrees.text(source, AnthropicWire.URL);
            default -> null;
        };
        if (url == null) {
            return null;
        }
        ObjectNode part = JsonTrees.object();
        part.put(OpenAiWire.TYPE, OpenAiWire.IMAGE_URL);
        part.putObject(OpenAiWire.IMAGE_URL).put(OpenAiWire.URL, url);
        return part;
    }

    /** A base64 PDF becomes an inline OpenAI file; a plain-text document becomes its text. */
    private static ObjectNode documentPart(JsonNode block) {
        JsonNode source = block.get(SOURCE);
        String sourceType = source == null ? "" : source.path(TYPE).asText();
        if (SOURCE_TEXT.equals(sourceType)) {
            return textPart(JsonTrees.text(source, DATA));
        }
        if (!SOURCE_BASE64.equals(sourceType)) {
            return null;
        }
        ObjectNode part = JsonTrees.object();
        part.put(OpenAiWire.TYPE, OpenAiWire.FILE);
        ObjectNode file = part.putObject(OpenAiWire.FILE);
        String title = JsonTrees.text(block, TITLE);
        if (!JsonTrees.isEmpty(title)) {
            file.put(OpenAiWire.FILENAME, title);
        }
        file.put(OpenAiWire.FILE_DATA, new DataUrl(JsonTrees.text(source, MEDIA_TYPE), JsonTrees.text(source, DATA)).toUrl());
        return part;
    }
}
