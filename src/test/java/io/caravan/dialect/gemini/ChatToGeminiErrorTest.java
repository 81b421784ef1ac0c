package io.caravan.dialect.gemini;

import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatToGeminiErrorTest {

    private final GeminiCallerTranslator translator = new GeminiCallerTranslator(ShippedSettings.translation());

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "429 | '{\"error\": {\"message\": \"Rate limit reached for gpt-4.1\", \"type\": \"rate_limit_error\", \"code\": \"rate_limit_exceeded\"}}' | Rate limit reached for gpt-4.1 | RESOURCE_EXHAUSTED",
            "401 | '{\"error\": {\"message\": \"Incorrect API key provided\", \"type\": \"invalid_request_error\"}}'                               | Incorrect API key provided     | UNAUTHENTICATED",
            "400 | '{\"error\": \"model is required\"}'                                                                                            | model is required              | INVALID_ARGUMENT",
            "404 | '{\"detail\": \"Not Found\"}'                                                                                                   | Not Found                      | NOT_FOUND",
            "502 | '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'                                                  | upstream returned HTTP 502: 502 Bad Gateway | UNAVAILABLE",
            "500 | ''                                                                                                                              | upstream returned HTTP 500 with an empty body | INTERNAL",
            "503 | 'upstream   connect error\nor disconnect'                                                                                       | upstream connect error or disconnect | UNAVAILABLE",
            "400 | '[{\"error\": {\"code\": 400, \"message\": \"Invalid JSON payload\", \"status\": \"INVALID_ARGUMENT\"}}]'                           | Invalid JSON payload           | INVALID_ARGUMENT"})
    void upstreamErrorsBecomeGooglesErrorObject(int status, String body, String message, String googleStatus) {
        GoldenFiles.assertJson(Json.object("""
                {"error": {"code": %d, "message": "%s", "status": "%s"}}
                """.formatted(status, message, googleStatus)), translator.error(status, body));
    }
}
