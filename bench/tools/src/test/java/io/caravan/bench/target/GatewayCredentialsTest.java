package io.caravan.bench.target;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The credentials file the bench's gateway reads: one credential per model, all at the fake upstream. */
class GatewayCredentialsTest {

    @Test
    void theGeminiModelHasAGeminiCredentialWhoseBaseUrlHasNoVersion() {
        String yaml = Gateway.credentialsYaml(9101);

        assertTrue(yaml.contains("""
                  - name: bench-gemini
                    kind: gemini
                    base-url: http://127.0.0.1:9101
                    api-key: bench-gemini-key
                    models: ["bench-gemini"]
                """), yaml);
    }

    @Test
    void theChatModelsStillHaveTheirCredentials() {
        String yaml = Gateway.credentialsYaml(9101);

        assertTrue(yaml.contains("kind: openai\n    base-url: http://127.0.0.1:9101/v1\n    api-key: sk-bench\n"
                + "    models: [\"bench-model\"]"), yaml);
        assertTrue(yaml.contains("models: [\"bench-claude\"]"), yaml);
        assertTrue(yaml.contains("apis: [chat, responses]"), yaml);
    }
}
