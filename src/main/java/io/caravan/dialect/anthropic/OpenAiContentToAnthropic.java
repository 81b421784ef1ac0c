package io.caravan.dialect.anthropic;

import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_DOCUMENT;
import static io.caravan.dialect.anthropic.AnthropicWire.BLOCK_IMAGE;
import static io.caravan.dialect.anthropic.AnthropicWire.DATA;
import static io.caravan.dialect.anthropic.AnthropicWire.MEDIA_TYPE;
import static io.caravan.dialect.anthropic.AnthropicWire.SOURCE;
import static io.caravan.dialect.anthropic.AnthropicWire.SOURCE_BASE64;
import static io.caravan.dialect.anthropic.AnthropicWire.SOURCE_URL;
import static io.caravan.dialect.anthropic.AnthropicWire.TITLE;
import static io.caravan.dialect.anthropic.OpenAiWire.CACHE_CONTROL;
import static io.caravan.dialect.anthropic.OpenAiWire.FILE;
import static io.caravan.dialect.anthropic.OpenAiWire.FILENAME;
import static io.caravan.dialect.anthropic.OpenAiWire.FILE_DATA;
import static io.caravan.dialect.anthropic.OpenAiWire.IMAGE_URL;
import static io.caravan.dialect.anthropic.OpenAiWire.TEXT;
import static io.caravan.dialect.anthropic.OpenAiWire.TYPE;
import static io.caravan.dialect.anthropic.OpenAiWire.URL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import java.util.ArrayList;
import java.util.List;

/** OpenAI content parts as Anthropic content blocks. */
final class OpenAiContentToAnthropic {

    private static final String PDF = "application/pdf";

    private OpenAiContentToAnthropic() {
    }

    /**
     * The blocks for an array of OpenAI parts: text, images and PDF files. Parts Anthropic has no block for (audio,
     * files referenced by an OpenAI file id) and empty text are left out rather than sent to be rejected.
     */
    static List<ObjectNode> blocks(JsonNode parts) {
        List<ObjectNode> blocks = new ArrayList<>(parts.size());
        for (JsonNode part : parts) {
            ObjectNode block = switch (part.path(TYPE).asText()) {
                case TEXT -> textBlock(part);
                case IMAGE_URL -> imageBlock(imageUrl(part.get(IMAGE_URL)));
                case FILE -> documentBlock(part.get(FILE));
                default -> null;
            };
            if (block != null) {
                blocks.add(block);
            }
        }
        return blocks;
    }

    /** The text of text parts, which is all an OpenAI system message can hold; other parts are ignored. */
    static List<ObjectNode> textBlocks(JsonNode parts) {
        List<ObjectNode> blocks = new ArrayList<>(parts.size());
        for (JsonNode part : parts) {
            if (TEXT.equals(part.path(TYPE).asText())) {
                ObjectNode block = textBlock(part);
                if (block != null) {
                    blocks.add(block);
                }
            }
        }
        return blocks;
    }

    private static ObjectNode textBlock(JsonNode part) {
        String text = JsonTrees.text(part, TEXT);
        if (JsonTrees.isEmpty(text)) {
            return null;
        }
        ObjectNode block = AnthropicMessageSequence.textBlock(text);
        // OpenRouter-style clients mark prompt-cache breakpoints on OpenAI parts in Anthropic's own format
        JsonNode cacheControl = JsonTrees.objectField(part, CACHE_CONTROL);
        if (cacheControl != null) {
            block.set(AnthropicWire.CACHE_CONTROL, cacheControl.deepCopy());
        }
        return block;
    }

    /** {@code image_url} is an object with a {@code url} in the spec; some clients send the URL string itself. */
    private static String imageUrl(JsonNode imageUrl) {
        if (imageUrl == null) {
            return null;
        }
        return imageUrl.isTextual() ? imageUrl.textValue() : JsonTrees.text(imageUrl, URL);
    }

    /** A base64 source for a data: URL, a url source for http(s); null for anything else. */
    private static ObjectNode imageBlock(String url) {
        ObjectNode source = JsonTrees.object();
        DataUrl data = DataUrl.parseOrNull(url);
        if (data != null) {
            source.put(TYPE, SOURCE_BASE64);
            source.put(MEDIA_TYPE, data.mediaType());
            source.put(DATA, data.base64Data());
        } else if (DataUrl.isHttpUrl(url)) {
            source.put(TYPE, SOURCE_URL);
            source.put(AnthropicWire.URL, url);
        } else {
            return null;
        }
        ObjectNode block = JsonTrees.object();
        block.put(TYPE, BLOCK_IMAGE);
        block.set(SOURCE, source);
        return block;
    }

    /** An inline PDF as a document block; Anthropic takes no other binary document type. */
    private static ObjectNode documentBlock(JsonNode file) {
        DataUrl data = DataUrl.parseOrNull(JsonTrees.text(file, FILE_DATA));
        if (data == null || !PDF.equals(data.mediaType())) {
            return null;
        }
        ObjectNode block = JsonTrees.object();
        block.put(TYPE, BLOCK_DOCUMENT);
        ObjectNode source = block.putObject(SOURCE);
        source.put(TYPE, SOURCE_BASE64);
        source.put(MEDIA_TYPE, data.mediaType());
        source.put(DATA, data.base64Data());
        String filename = JsonTrees.text(file, FILENAME);
        if (!JsonTrees.isEmpty(filename)) {
            block.put(TITLE, filename);
        }
        return block;
    }
}
