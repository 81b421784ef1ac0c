package io.caravan.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import io.caravan.dialect.Translators;
import io.caravan.dialects.Dialects;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TranslatorsTest {

    @Test
    void anOpenAiCallerOfAnAnthropicUpstreamGetsTheOpenAiCallerTranslator() {
        Translator translator = Translators.between(Dialects.OPENAI, Dialects.ANTHROPIC, ShippedSettings.translation());

        assertInstanceOf(OpenAiCallerTranslator.class, translator);
        assertEquals(Dialects.OPENAI, translator.caller());
        assertEquals(Dialects.ANTHROPIC, translator.upstream());
    }

    @Test
    void anAnthropicCallerOfAnOpenAiUpstreamGetsTheAnthropicCallerTranslator() {
        Translator translator = Translators.between(Dialects.ANTHROPIC, Dialects.OPENAI, ShippedSettings.translation());

        assertInstanceOf(AnthropicCallerTranslator.class, translator);
        assertEquals(Dialects.ANTHROPIC, translator.caller());
        assertEquals(Dialects.OPENAI, translator.upstream());
    }

    @ParameterizedTest
    @MethodSource("io.caravan.dialects.Dialects#all")
    void sameDialectTrafficIsNotTranslated(Dialect dialect) {
        assertThrows(IllegalArgumentException.class, () -> Translators.between(dialect, dialect, ShippedSettings.translation()));
    }

    @Test
    void settingsReachTheRequestTranslator() {
        Translator translator = Translators.between(Dialects.OPENAI, Dialects.ANTHROPIC,
                new TranslationSettings(1234, 1024, 2048, 4096));
        ObjectNode request = GoldenFiles.MAPPER.createObjectNode().put("model", "m");
        request.putArray("messages").addObject().put("role", "user").put("content", "hi");

        assertEquals(1234, translator.request(request, "claude").get("max_tokens").asInt());
    }

    @Test
    void theOpenAiCallerTranslatorComposesTheGoldenDirections() {
        Translator translator = new OpenAiCallerTranslator(ShippedSettings.translation(), GoldenFiles.sequentialIds(),
                Golden.CLOCK);
        JsonNode request = Golden.load("request/openai-to-anthropic/tool-results");
        JsonNode response = Golden.load("response/anthropic-to-openai/thinking");
        JsonNode error = Golden.load("error/anthropic-to-openai/overloaded-529");

        GoldenFiles.assertJson(request.get("expected"), translator.request(GoldenFiles.input(request), request.get("model").textValue()));
        GoldenFiles.assertJson(response.get("expected"), translator.response(GoldenFiles.input(response), response.get("model").textValue()));
        GoldenFiles.assertJson(error.get("expected"), translator.error(529, Golden.rawInput(error)));
    }

    @Test
    void theAnthropicCallerTranslatorComposesTheGoldenDirections() {
        Translator translator = new AnthropicCallerTranslator(ShippedSettings.translation(), GoldenFiles.sequentialIds());
        JsonNode request = Golden.load("request/anthropic-to-openai/tool-results");
        JsonNode response = Golden.load("response/openai-to-anthropic/tool-calls");
        JsonNode error = Golden.load("error/openai-to-anthropic/context-length-400");
        JsonNode stream = Golden.load("stream/openai-to-anthropic/tool-calls");

        GoldenFiles.assertJson(request.get("expected"), translator.request(GoldenFiles.input(request), request.get("model").textValue()));
        GoldenFiles.assertJson(response.get("expected"), translator.response(GoldenFiles.input(response), response.get("model").textValue()));
        GoldenFiles.assertJson(error.get("expected"), translator.error(400, Golden.rawInput(error)));
        GoldenFiles.assertEvents(stream.get("expected"),
                GoldenFiles.run(translator.stream(stream.get("model").textValue()), stream.get("input")));
    }

    @Test
    void anOpenAiCallerGetsTheUsageChunkOnlyWhenItsRequestAskedForIt() {
        JsonNode golden = Golden.load("stream/anthropic-to-openai/text-include-usage");
        Translator translator = Translators.between(Dialects.OPENAI, Dialects.ANTHROPIC, ShippedSettings.translation());
        ObjectNode askingRequest = GoldenFiles.MAPPER.createObjectNode().put("stream", true);
        askingRequest.putObject("stream_options").put("include_usage", true);
        ObjectNode silentRequest = GoldenFiles.MAPPER.createObjectNode().put("stream", true);

        List<SseEvent> asked = GoldenFiles.run(Translators.stream(translator, askingRequest, "m"), golden.get("input"));
        List<SseEvent> notAsked = GoldenFiles.run(Translators.stream(translator, silentRequest, "m"), golden.get("input"));

        assertEquals(5, asked.size());
        assertEquals(0, JsonTrees.parseOrNull(asked.get(3).data()).get("choices").size(), "the usage chunk");
        assertEquals(4, notAsked.size());
        assertEquals("[DONE]", notAsked.get(3).data());
    }
}
