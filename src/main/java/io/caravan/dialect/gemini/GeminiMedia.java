package io.caravan.dialect.gemini;

import static io.caravan.dialect.gemini.ChatWire.DATA;
import static io.caravan.dialect.gemini.ChatWire.FILE;
import static io.caravan.dialect.gemini.ChatWire.FILENAME;
import static io.caravan.dialect.gemini.ChatWire.FILE_DATA;
import static io.caravan.dialect.gemini.ChatWire.FORMAT;
import static io.caravan.dialect.gemini.ChatWire.IMAGE_URL;
import static io.caravan.dialect.gemini.ChatWire.INPUT_AUDIO;
import static io.caravan.dialect.gemini.ChatWire.TEXT;
import static io.caravan.dialect.gemini.ChatWire.TYPE;
import static io.caravan.dialect.gemini.ChatWire.URL;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Gemini media ({@code inlineData} blobs and {@code fileData} by {@code data:} URL or public image URL) as the common
 * model's content parts: images as {@code image_url} (a data URL), PDF documents as {@code file} parts with
 * {@code file_data}, WAV and MP3 audio as {@code input_audio}, and text files as the text they hold. Nothing else has
 * a part there ({@link GeminiRequestCheck} refuses it).
 */
final class GeminiMedia {

    private static final String IMAGE = "image/";
    private static final String TEXT_TYPES = "text/";
    private static final String PDF = "application/pdf";
    private static final String PDF_FILENAME = "document.pdf";
    /** OpenAI's input_audio formats, by the MIME types that name them. */
    private static final Map<String, String> AUDIO_FORMATS = Map.of("audio/wav", "wav", "audio/x-wav", "wav",
            "audio/wave", "wav", "audio/mp3", "mp3", "audio/mpeg", "mp3");
    private static final String DATA_SCHEME = "data:";
    private static final String BASE64_MARKER = ";base64,";

    private GeminiMedia() {
    }

    /** Whether the common model has a part for media of this MIME type. */
    static boolean carried(Object mimeType) {
        if (!(mimeType instanceof String type)) {
            return false;
        }
        String lower = type.toLowerCase(Locale.ROOT);
        return lower.startsWith(IMAGE) || lower.startsWith(TEXT_TYPES) || PDF.equals(lower)
                || AUDIO_FORMATS.containsKey(lower);
    }

    static boolean isImage(Object mimeType) {
        return mimeType instanceof String type && type.toLowerCase(Locale.ROOT).startsWith(IMAGE);
    }

    static boolean isHttpUrl(String uri) {
        return uri.regionMatches(true, 0, "https://", 0, 8) || uri.regionMatches(true, 0, "http://", 0, 7);
    }

    /** The MIME type a base64 {@code data:} URL names, or {@code null}. */
    static String dataUrlMimeType(String url) {
        int marker = url.indexOf(BASE64_MARKER);
        if (!url.regionMatches(true, 0, DATA_SCHEME, 0, DATA_SCHEME.length()) || marker < 0) {
            return null;
        }
        String type = url.substring(DATA_SCHEME.length(), marker);
        int parameters = type.indexOf(';');
        return parameters >= 0 ? type.substring(0, parameters) : type;
    }

    /** The part for a blob, or {@code null} for media the common model has no part for. */
    static ObjectNode inline(String mimeType, String base64) {
        if (mimeType == null || base64 == null) {
            return null;
        }
        String lower = mimeType.toLowerCase(Locale.ROOT);
        ObjectNode part = JsonTrees.object();
        if (lower.startsWith(IMAGE)) {
            part.put(TYPE, IMAGE_URL).putObject(IMAGE_URL).put(URL, dataUrl(mimeType, base64));
        } else if (PDF.equals(lower)) {
            part.put(TYPE, FILE).putObject(FILE).put(FILENAME, PDF_FILENAME).put(FILE_DATA, dataUrl(mimeType, base64));
        } else if (AUDIO_FORMATS.containsKey(lower)) {
            part.put(TYPE, INPUT_AUDIO).putObject(INPUT_AUDIO).put(DATA, base64).put(FORMAT, AUDIO_FORMATS.get(lower));
        } else if (lower.startsWith(TEXT_TYPES)) {
            String text = decodedText(base64);
            if (text == null) {
                return null;
            }
            part.put(TYPE, TEXT).put(TEXT, text);
        } else {
            return null;
        }
        return part;
    }

    /** The part for a file by URI: a {@code data:} URL as its blob, a public image URL as itself. */
    static ObjectNode byUri(String mimeType, String uri) {
        if (uri == null) {
            return null;
        }
        String urlType = dataUrlMimeType(uri);
        if (urlType != null) {
            return inline(mimeType != null ? mimeType : urlType, uri.substring(uri.indexOf(BASE64_MARKER)
                    + BASE64_MARKER.length()));
        }
        if (isImage(mimeType) && isHttpUrl(uri)) {
            ObjectNode part = JsonTrees.object();
            part.put(TYPE, IMAGE_URL).putObject(IMAGE_URL).put(URL, uri);
            return part;
        }
        return null;
    }

    private static String dataUrl(String mimeType, String base64) {
        return DATA_SCHEME + mimeType + BASE64_MARKER + base64;
    }

    private static String decodedText(String base64) {
        try {
            return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
