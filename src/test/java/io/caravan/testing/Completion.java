package io.caravan.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The assistant output a successful reply carries, before any provider framing. */
sealed interface Completion permits Completion.Text, Completion.ToolCall {

    /** The pieces a stream sends, one per content chunk; concatenated they give the whole output. */
    List<String> pieces();

    /** The {@code output_tokens} / {@code completion_tokens} the fake reports. */
    default int outputTokens() {
        return Math.max(1, pieces().size());
    }

    /** Plain assistant text, streamed one word (with its leading whitespace) per chunk. */
    record Text(String text) implements Completion {

        @Override
        public List<String> pieces() {
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("(?<=\\S)(?=\\s)"));
        }

        /** {@code n} distinct words, for streams that break off after {@code n} chunks. */
        static Text ofWords(int n) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                sb.append(i == 1 ? "" : " ").append("word").append(i);
            }
            return new Text(sb.toString());
        }
    }

    /** One call of one tool with a JSON-object argument string, streamed in up to three fragments. */
    record ToolCall(String name, String arguments) implements Completion {

        private static final int FRAGMENTS = 3;

        @Override
        public List<String> pieces() {
            List<String> fragments = new ArrayList<>(FRAGMENTS);
            int size = Math.max(1, (arguments.length() + FRAGMENTS - 1) / FRAGMENTS);
            for (int start = 0; start < arguments.length(); start += size) {
                fragments.add(arguments.substring(start, Math.min(arguments.length(), start + size)));
            }
            return fragments;
        }
    }
}
