package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.caravan.dialect.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A thinking signature with the thinking it signs, sealed in one {@code thoughtSignature} for the parts a Gemini
 * caller keeps. Gemini CLI drops thought parts from its history and sends back only the signature its text and
 * function call parts carry; an Anthropic upstream, though, verifies a signature against the thinking text and
 * requires that signed thinking back on a turn that continues a tool call. So those parts carry the signature
 * sealed with the text, and the request that replays them gets both back. The seal is marked as the gateway's own,
 * so that a signature Gemini itself made (a conversation that began on a Gemini credential) is never taken apart.
 *
 * @param reasoning the thinking text
 * @param signature the signature as the common model carried it ({@code reasoning_signature})
 */
record GeminiThoughtSeal(String reasoning, String signature) {

    private static final String MARK = "caravan-thinking:";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** The {@code thoughtSignature} carrying both. */
    static String seal(String reasoning, String signature) {
        ArrayNode both = JsonTrees.array().add(reasoning).add(signature);
        return MARK + ENCODER.encodeToString(JsonTrees.write(both).getBytes(StandardCharsets.UTF_8));
    }

    /** What a {@code thoughtSignature} the gateway sealed carries; {@code null} for any other signature. */
    static GeminiThoughtSeal opened(String thoughtSignature) {
        if (thoughtSignature == null || !thoughtSignature.startsWith(MARK)) {
            return null;
        }
        JsonNode both;
        try {
            both = JsonTrees.parseOrNull(new String(DECODER.decode(thoughtSignature.substring(MARK.length())),
                    StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        if (both == null || !both.isArray() || both.size() != 2 || !both.get(0).isTextual() || !both.get(1).isTextual()) {
            return null;
        }
        return new GeminiThoughtSeal(both.get(0).textValue(), both.get(1).textValue());
    }
}
