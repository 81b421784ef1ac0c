package io.caravan.dialect.gemini;

import static io.caravan.dialect.gemini.ChatWire.FILE;
import static io.caravan.dialect.gemini.ChatWire.FILE_DATA;
import static io.caravan.dialect.gemini.ChatWire.FILE_ID;
import static io.caravan.dialect.gemini.ChatWire.FORMAT;
import static io.caravan.dialect.gemini.ChatWire.IMAGE_URL;
import static io.caravan.dialect.gemini.ChatWire.INPUT_AUDIO;
import static io.caravan.dialect.gemini.ChatWire.REFUSAL;
import static io.caravan.dialect.gemini.ChatWire.TEXT;
import static io.caravan.dialect.gemini.ChatWire.TYPE;
import static io.caravan.dialect.gemini.ChatWire.URL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import java.util.ArrayList;
import java.util.List;

/**
 * Chat content (a string or an array of content parts) as Gemini parts: text, and inline media ({@code inlineData})
 * for base64 {@code data:} URLs of images and files and for {@code input_audio}. AI Studio cannot fetch a URL the
 * caller names (its {@code fileData} takes only files uploaded to Google), and OpenAI file ids mean nothing to it: such
 * parts, and part types it has nothing for, are refused with a 400 naming where they are.
 */
final class ChatPartsToGemini {

    private static final String DATA_SCHEME = "data:";
    private static final String BASE64_MARKER = ";base64,";
    private static final String AUDIO_MIME_PREFIX = "audio/";

    private ChatPartsToGemini() {
    }

    /**
     * The parts of a user message's (or a tool result's) content.
     *
     * @param where where the content is, for the refusal ({@code messages[2].content})
     */
    static List<ObjectNode> parts(JsonNode content, String where) {
        List<ObjectNode> parts = new ArrayList<>();
        if (content.isTextual()) {
            addText(parts, content.textValue());
            return parts;
        }
        if (!content.isArray()) {
            return parts;
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String at = where + "[" + i + "]";
            switch (part.path(TYPE).asText()) {
                case TEXT -> addText(parts, JsonTrees.text(part, TEXT));
                case IMAGE_URL -> parts.add(image(part.get(IMAGE_URL), at));
                case FILE -> parts.add(file(part.get(FILE), at));
                case INPUT_AUDIO -> parts.add(audio(part.get(INPUT_AUDIO), at));
                default -> throw GeminiUpstreamRefusals.unsupported("Content part type '" + part.path(TYPE).asText()
                        + "' (" + at + ") cannot be sent to Gemini: supported are text, image_url, file and input_audio");
            }
        }
        return parts;
    }

    /**
     * The text of content that can hold only text (a system message, an assistant's answer): text and refusal parts.
     */
    static List<ObjectNode> textParts(JsonNode content, String where) {
        List<ObjectNode> parts = new ArrayList<>();
        if (content.isTextual()) {
            addText(parts, content.textValue());
            return parts;
        }
        if (!content.isArray()) {
            return parts;
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            switch (part.path(TYPE).asText()) {
                case TEXT -> addText(parts, JsonTrees.text(part, TEXT));
                case REFUSAL -> addText(parts, JsonTrees.text(part, REFUSAL));
                default -> throw GeminiUpstreamRefusals.unsupported("Content part type '" + part.path(TYPE).asText()
                        + "' (" + where + "[" + i + "]) cannot be sent to Gemini here: this message can hold only text");
            }
        }
        return parts;
    }

    static ObjectNode textPart(String text) {
        return JsonTrees.object().put(GeminiWire.TEXT, text);
    }

    private static void addText(List<ObjectNode> parts, String text) {
        if (!JsonTrees.isEmpty(text)) {
            parts.add(textPart(text));
        }
    }

    /** {@code image_url} is an object with a {@code url} in the spec; some clients send the URL string itself. */
    private static ObjectNode image(JsonNode imageUrl, String where) {
        String url = imageUrl == null ? null : imageUrl.isTextual() ? imageUrl.textValue() : JsonTrees.text(imageUrl, URL);
        ObjectNode inline = inlineDataOrNull(url);
        if (inline != null) {
            return inline;
        }
        if (isHttpUrl(url)) {
            throw GeminiUpstreamRefusals.unsupported("Image URLs (" + where + ") cannot be sent to Gemini, which does "
                    + "not fetch them: send the image inline as a base64 data: URL");
        }
        throw GeminiUpstreamRefusals.invalid("The image (" + where + ") needs a base64 data: URL to be sent to Gemini");
    }

    private static ObjectNode file(JsonNode file, String where) {
        ObjectNode inline = inlineDataOrNull(JsonTrees.text(file, FILE_DATA));
        if (inline != null) {
            return inline;
        }
        if (file != null && file.hasNonNull(FILE_ID)) {
            throw GeminiUpstreamRefusals.unsupported("OpenAI file ids (" + where + ") mean nothing to Gemini: send the "
                    + "file inline as a base64 data: URL in 'file_data'");
        }
        throw GeminiUpstreamRefusals.invalid("The file (" + where + ") needs a base64 data: URL in 'file_data' to be "
                + "sent to Gemini");
    }

    /** OpenAI names the format ({@code wav}, {@code mp3}); Gemini takes the media type ({@code audio/wav}). */
    private static ObjectNode audio(JsonNode audio, String where) {
        String data = JsonTrees.text(audio, ChatWire.DATA);
        String format = JsonTrees.text(audio, FORMAT);
        if (JsonTrees.isEmpty(data) || JsonTrees.isEmpty(format)) {
            throw GeminiUpstreamRefusals.invalid("The audio (" + where + ") needs 'data' and 'format'");
        }
        return inlineData(AUDIO_MIME_PREFIX + format, data);
    }

    /** An {@code inlineData} part for a base64 data: URL; null for any other URL. */
    private static ObjectNode inlineDataOrNull(String url) {
        if (url == null || !url.regionMatches(true, 0, DATA_SCHEME, 0, DATA_SCHEME.length())) {
            return null;
        }
        int marker = url.indexOf(BASE64_MARKER);
        if (marker < 0) {
            return null;
        }
        String mediaType = url.substring(DATA_SCHEME.length(), marker);
        int parameters = mediaType.indexOf(';');
        if (parameters >= 0) {
            mediaType = mediaType.substring(0, parameters);
        }
        return mediaType.isEmpty() ? null : inlineData(mediaType, url.substring(marker + BASE64_MARKER.length()));
    }

    private static ObjectNode inlineData(String mimeType, String base64) {
        ObjectNode part = JsonTrees.object();
        part.putObject(GeminiWire.INLINE_DATA).put(GeminiWire.MIME_TYPE, mimeType).put(GeminiWire.DATA, base64);
        return part;
    }

    private static boolean isHttpUrl(String url) {
        return url != null && (url.regionMatches(true, 0, "https://", 0, 8) || url.regionMatches(true, 0, "http://", 0, 7));
    }
}
