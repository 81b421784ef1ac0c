package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A thinking signature with the thinking it signs, sealed in one {@code thoughtSignature} for the parts a Gemini
 * caller keeps. Gemini CLI drops thought parts from its history and sends back only the signature its text and
 * function call parts carry; an Anthropic upstream, though, verifies a signature against the thinking text and
 * requires that signed thinking back on a turn that continues a tool call. So those parts carry the signature
 * sealed with the text, and the request that replays them gets both back. The seal is marked as the gateway's own,
 * so that a signature Gemini itself made (a conversation that began on a Gemini credential) is never taken apart.
 * The whole seal, mark included, is standard padded base64: Google's Java and Python SDKs hold a
 * {@code thoughtSignature} as bytes and decode it so, and send it back encoded the same way.
 *
 * @param reasoning the thinking text
 * @param signature the signature as the common model carried it ({@code reasoning_signature})
 */
record GeminiThoughtSeal(String reasoning, String signature) {

    private static final byte[] MARK = "caravan-thinking:".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder ENCODER = Base64.getEncoder();
    private static final Base64.Decoder DECODER = Base64.getDecoder();
    /** How every seal begins once encoded: the mark's first 12 bytes are 16 characters whatever follows. */
    private static final String MARK_ENCODED = ENCODER.encodeToString(MARK).substring(0, 16);

    /** The {@code thoughtSignature} carrying both. */
    static String seal(String reasoning, String signature) {
        byte[] both = JsonTrees.write(JsonTrees.array().add(reasoning).add(signature)).getBytes(StandardCharsets.UTF_8);
        byte[] sealed = Arrays.copyOf(MARK, MARK.length + both.length);
        System.arraycopy(both, 0, sealed, MARK.length, both.length);
        return ENCODER.encodeToString(sealed);
    }

    /** What a {@code thoughtSignature} the gateway sealed carries; {@code null} for any other signature. */
    static GeminiThoughtSeal opened(String thoughtSignature) {
        if (thoughtSignature == null || !thoughtSignature.startsWith(MARK_ENCODED)) {
            return null;
        }
        byte[] sealed;
        try {
            sealed = DECODER.decode(thoughtSignature);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        if (sealed.length < MARK.length || !Arrays.equals(sealed, 0, MARK.length, MARK, 0, MARK.length)) {
            return null;
        }
        JsonNode both = JsonTrees.parseOrNull(new String(sealed, MARK.length, sealed.length - MARK.length,
                StandardCharsets.UTF_8));
        if (both == null || !both.isArray() || both.size() != 2 || !both.get(0).isTextual() || !both.get(1).isTextual()) {
            return null;
        }
        return new GeminiThoughtSeal(both.get(0).textValue(), both.get(1).textValue());
    }
}
