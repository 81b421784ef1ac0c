package io.caravan.dialect.gemini;

import io.caravan.dialect.Refusal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What in a Gemini request no credential of another dialect can honour: such a request is served only by Gemini
 * credentials, and refused with a 400 saying why when only others serve its model. Refused: more than one candidate;
 * Gemini's own tools (Google Search, code execution, URL context, file search, Maps, computer use, MCP servers) unless
 * the gateway is set to leave them out; a cached content; log probabilities; answers in other modalities than text
 * (speech, images); a response MIME type other than JSON or plain text; media the common model has no part for
 * (video, most audio, arbitrary files), files by a URI other than a {@code data:} URL or a public image URL; parts
 * of Gemini's own tools (executable code and its results); media in a model turn or the system instruction.
 *
 * <p>Carried instead of refused, because they only steer Gemini itself and have no meaning elsewhere:
 * {@code safetySettings} (Gemini's own filters), {@code topK} (a sampling knob the common model lacks, as the
 * Anthropic caller's {@code top_k}; Gemini CLI always sends it), {@code mediaResolution}, {@code serviceTier},
 * {@code enableEnhancedCivicAnswers}: they are left out of the translated request.
 */
final class GeminiRequestCheck {

    /** The tool fields of a {@code Tool} the common model carries: only function declarations. */
    private static final Set<String> FUNCTION_TOOL_FIELDS = Set.of(GeminiWire.FUNCTION_DECLARATIONS);
    /** Parts of Gemini's own tools, which run inside Gemini. */
    private static final List<String> GEMINI_TOOL_PARTS = List.of(GeminiWire.EXECUTABLE_CODE,
            GeminiWire.CODE_EXECUTION_RESULT, GeminiWire.TOOL_CALL, GeminiWire.TOOL_RESPONSE, GeminiWire.VIDEO_METADATA);
    private static final Set<String> RESPONSE_MIME_TYPES = Set.of(GeminiWire.JSON_MIME_TYPE, GeminiWire.TEXT_MIME_TYPE);
    private static final Set<String> THINKING_LEVELS = Set.of("minimal", "low", "medium", "high",
            "thinking_level_unspecified");
    private static final String ONLY_GEMINI = " is served only by Gemini credentials";
    private static final String DATA_SCHEME = "data:";
    /** Files uploaded with Gemini's Files API: only a Gemini key can read them. */
    private static final String GEMINI_FILES_HOST = "https://generativelanguage.googleapis.com/";

    private GeminiRequestCheck() {
    }

    /** @param omitUnservableTools whether Gemini's own tools are left out of a translated request rather than refused */
    static Refusal refusal(Map<String, Object> request, boolean omitUnservableTools) {
        if (request.get(GeminiWire.CACHED_CONTENT) != null) {
            return refused("'cachedContent' (a context cached at Gemini)" + ONLY_GEMINI);
        }
        Refusal refused = generationConfig(request.get(GeminiWire.GENERATION_CONFIG));
        if (refused == null && !omitUnservableTools) {
            refused = tools(request.get(GeminiWire.TOOLS));
        }
        if (refused == null && request.get(GeminiWire.SYSTEM_INSTRUCTION) instanceof Map<?, ?> system) {
            refused = textOnly(system, "systemInstruction");
        }
        if (refused == null && request.get(GeminiWire.CONTENTS) instanceof List<?> contents) {
            refused = contents(contents);
        }
        return refused;
    }

    private static Refusal generationConfig(Object value) {
        if (!(value instanceof Map<?, ?> config)) {
            return null;
        }
        if (config.get(GeminiWire.CANDIDATE_COUNT) instanceof Number count && count.intValue() > 1) {
            return refused("'generationConfig.candidateCount' above 1" + ONLY_GEMINI);
        }
        if (Boolean.TRUE.equals(config.get(GeminiWire.RESPONSE_LOGPROBS)) || config.get(GeminiWire.LOGPROBS) != null) {
            return refused("'generationConfig.responseLogprobs' (log probabilities)" + ONLY_GEMINI);
        }
        for (String field : List.of(GeminiWire.SPEECH_CONFIG, GeminiWire.IMAGE_CONFIG, GeminiWire.AUDIO_TIMESTAMP)) {
            if (config.get(field) != null) {
                return refused("'generationConfig." + field + "'" + ONLY_GEMINI);
            }
        }
        if (config.get(GeminiWire.RESPONSE_MODALITIES) instanceof List<?> modalities) {
            for (Object modality : modalities) {
                if (!GeminiWire.MODALITY_TEXT.equals(modality)) {
                    return refused("'generationConfig.responseModalities' " + modality + ONLY_GEMINI
                            + "; other credentials answer in TEXT only");
                }
            }
        }
        Object mimeType = config.get(GeminiWire.RESPONSE_MIME_TYPE);
        if (mimeType != null && !RESPONSE_MIME_TYPES.contains(mimeType)) {
            return refused("'generationConfig.responseMimeType' " + mimeType + ONLY_GEMINI
                    + "; other credentials answer in application/json or text/plain");
        }
        if (config.get(GeminiWire.THINKING_CONFIG) instanceof Map<?, ?> thinking
                && thinking.get(GeminiWire.THINKING_LEVEL) instanceof String level
                && !THINKING_LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
            return refused("'generationConfig.thinkingConfig.thinkingLevel' " + level + ONLY_GEMINI);
        }
        return null;
    }

    private static Refusal tools(Object value) {
        if (!(value instanceof List<?> tools)) {
            return null;
        }
        for (Object tool : tools) {
            if (tool instanceof Map<?, ?> fields) {
                for (Object field : fields.keySet()) {
                    if (!FUNCTION_TOOL_FIELDS.contains(field)) {
                        return refused("The tool '" + field + "' runs inside Gemini and" + ONLY_GEMINI
                                + "; other credentials take functionDeclarations only");
                    }
                }
            }
        }
        return null;
    }

    private static Refusal contents(List<?> contents) {
        for (int i = 0; i < contents.size(); i++) {
            if (!(contents.get(i) instanceof Map<?, ?> content)) {
                continue;
            }
            String where = "contents[" + i + "]";
            Object role = content.get(GeminiWire.ROLE);
            Refusal refused;
            if (GeminiWire.ROLE_MODEL.equals(role)) {
                refused = modelTurn(content, where);
            } else if (role == null || GeminiWire.ROLE_USER.equals(role)) {
                refused = parts(content.get(GeminiWire.PARTS), where);
            } else {
                refused = refused("'" + where + ".role' " + role + " cannot be translated: roles are user and model");
            }
            if (refused != null) {
                return refused;
            }
        }
        return null;
    }

    /** A model turn: text, thoughts and function calls; an assistant message of the common model holds no media. */
    private static Refusal modelTurn(Map<?, ?> content, String where) {
        if (!(content.get(GeminiWire.PARTS) instanceof List<?> parts)) {
            return null;
        }
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof Map<?, ?> part) {
                if (part.containsKey(GeminiWire.INLINE_DATA) || part.containsKey(GeminiWire.FILE_DATA)) {
                    return refused("'" + where + ".parts[" + i + "]': media in a model turn" + ONLY_GEMINI);
                }
                Refusal refused = part(part, where + ".parts[" + i + "]");
                if (refused != null) {
                    return refused;
                }
            }
        }
        return null;
    }

    private static Refusal parts(Object value, String where) {
        if (!(value instanceof List<?> parts)) {
            return null;
        }
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof Map<?, ?> part) {
                Refusal refused = part(part, where + ".parts[" + i + "]");
                if (refused != null) {
                    return refused;
                }
            }
        }
        return null;
    }

    private static Refusal part(Map<?, ?> part, String where) {
        for (String geminiOnly : GEMINI_TOOL_PARTS) {
            if (part.containsKey(geminiOnly)) {
                return refused("'" + where + "." + geminiOnly + "'" + ONLY_GEMINI);
            }
        }
        if (part.get(GeminiWire.INLINE_DATA) instanceof Map<?, ?> blob) {
            return media(blob.get(GeminiWire.MIME_TYPE), where + ".inlineData");
        }
        if (part.get(GeminiWire.FILE_DATA) instanceof Map<?, ?> file) {
            return file(file, where + ".fileData");
        }
        if (part.get(GeminiWire.FUNCTION_RESPONSE) instanceof Map<?, ?> response) {
            return parts(response.get(GeminiWire.PARTS), where + ".functionResponse");
        }
        return null;
    }

    private static Refusal file(Map<?, ?> file, String where) {
        Object uri = file.get(GeminiWire.FILE_URI);
        Object mimeType = file.get(GeminiWire.MIME_TYPE);
        if (uri instanceof String text && text.regionMatches(true, 0, DATA_SCHEME, 0, DATA_SCHEME.length())) {
            return media(mimeType != null ? mimeType : GeminiMedia.dataUrlMimeType(text), where);
        }
        if (uri instanceof String text && GeminiMedia.isImage(mimeType) && GeminiMedia.isHttpUrl(text)
                && !text.startsWith(GEMINI_FILES_HOST)) {
            return null;
        }
        return refused("'" + where + ".fileUri': a file by URI" + ONLY_GEMINI
                + "; other credentials take media inline (inlineData, or a data: URL) or images by a public URL");
    }

    private static Refusal media(Object mimeType, String where) {
        if (GeminiMedia.carried(mimeType)) {
            return null;
        }
        return refused("'" + where + "' of type " + mimeType + ONLY_GEMINI + "; other credentials take images, "
                + "PDF documents, WAV and MP3 audio and text");
    }

    private static Refusal textOnly(Map<?, ?> content, String where) {
        if (content.get(GeminiWire.PARTS) instanceof List<?> parts) {
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i) instanceof Map<?, ?> part && !part.containsKey(GeminiWire.TEXT)) {
                    return refused("'" + where + ".parts[" + i + "]': the system instruction of a translated request "
                            + "holds text only");
                }
            }
        }
        return null;
    }

    private static Refusal refused(String message) {
        return new Refusal(message, null);
    }
}
