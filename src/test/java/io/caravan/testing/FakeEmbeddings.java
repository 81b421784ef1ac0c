package io.caravan.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * The vectors the fake upstreams embed texts as: deterministic (the same text and size give the same vector, so a
 * test can tell which input became which vector and that nothing was altered on the way) and of unit length, as
 * the providers' embeddings are.
 */
public final class FakeEmbeddings {

    /** The size of an OpenAI {@code text-embedding-3-small} vector, used when the request names none. */
    public static final int DEFAULT_DIMENSIONS = 1536;

    private FakeEmbeddings() {
    }

    /** The vector of {@code text} with {@code dimensions} components. */
    public static float[] vector(String text, int dimensions) {
        SplittableRandom random = new SplittableRandom(text.hashCode() * 31L + dimensions);
        float[] vector = new float[dimensions];
        double squares = 0;
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) (random.nextDouble() * 2 - 1);
            squares += (double) vector[i] * vector[i];
        }
        float norm = (float) Math.sqrt(squares);
        for (int i = 0; i < dimensions; i++) {
            vector[i] /= norm;
        }
        return vector;
    }

    /** OpenAI's {@code encoding_format: base64}: the 32-bit floats in little-endian order, base64-encoded. */
    public static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float component : vector) {
            bytes.putFloat(component);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
