package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Anthropic's prompt cache across translation, through the booted gateway and a fake Anthropic upstream: the
 * breakpoints the upstream receives for Chat, Responses and Gemini callers with
 * {@code caravan.translation.prompt-cache-breakpoints} {@code auto} and {@code off}, an Anthropic caller's own
 * breakpoints passed as they are (through an alias and a payload rule), and the cache tokens of Anthropic's answer
 * in each caller's usage, whole and streamed, and in the usage record.
 */
class PromptCacheEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "caravan-test-admin-key-prompt-cache-0123456789";
    private static final String METERED_KEY = "key-cache-metered-0123456789";
    private static final String CLAUDE = "claude-sonnet-4-5";
    private static final String EVENT_STREAM = "text/event-stream";
    private static final int INPUT = 10;
    private static final int CACHE_READ = 300;
    private static final int CACHE_WRITE = 50;
    private static final int OUTPUT = 5;
    private static final String SYSTEM = "You are a coding agent with long rules.";

    private static FakeUpstream anthropicAuto;
    private static FakeUpstream anthropicOff;
    private static TestGateway auto;
    private static TestGateway off;

    @BeforeAll
    static void start() throws Exception {
        anthropicAuto = FakeUpstream.anthropic();
        anthropicOff = FakeUpstream.anthropic();
        auto = TestGateway.builder().rawCredential(credential(anthropicAuto)
                        + "payload-rules:\n  - models: [sonnet]\n    defaults: {top_k: 3}\n")
                .clients("  - name: cache-metered\n    key: " + METERED_KEY + "\n")
                .set("caravan.admin-keys", ADMIN)
                .set("caravan.translation.prompt-cache-breakpoints", "auto").start();
        off = TestGateway.builder().rawCredential(credential(anthropicOff)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(auto, off, anthropicAuto, anthropicOff);
    }

    @AfterEach
    void discardUnusedReplies() {
        anthropicAuto.discardPendingReplies();
    }

    private static String credential(FakeUpstream upstream) {
        return "  - name: claude\n    kind: anthropic\n    base-url: " + upstream.baseUrl() + "\n    api-key: "
                + upstream.apiKey() + "\n    models: [" + CLAUDE + ", {name: sonnet, upstream: " + CLAUDE + "}]\n";
    }

    private static String post(TestGateway gateway, String path, String body) throws Exception {
        HttpResponse<String> answer = new RawClient(gateway).post(path, body);
        assertEquals(200, answer.statusCode(), answer.body());
        return answer.body();
    }

    /** The JSON pointers of the blocks carrying {@code cache_control}, each checked to be the gateway's own. */
    private static List<String> breakpoints(JsonNode request) {
        List<String> found = markedBlocks(request);
        for (String pointer : found) {
            assertEquals("{\"type\":\"ephemeral\"}", request.at(pointer + "/cache_control").toString(), pointer);
        }
        return found;
    }

    /** The JSON pointers of the blocks carrying {@code cache_control}, whatever it says. */
    private static List<String> markedBlocks(JsonNode request) {
        List<String> found = new ArrayList<>();
        collect(request, "", found);
        return found;
    }

    private static void collect(JsonNode node, String pointer, List<String> found) {
        if (node.isObject()) {
            if (node.has("cache_control")) {
                found.add(pointer);
            }
            node.fields().forEachRemaining(field -> collect(field.getValue(), pointer + "/" + field.getKey(), found));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), pointer + "/" + i, found);
            }
        }
    }

    // ---- breakpoints -----------------------------------------------------------------------------------------------

    private static final String CHAT_TURN = """
            {"model": "%s", "messages": [
              {"role": "system", "content": "%s"},
              {"role": "user", "content": "Fix the build."},
              {"role": "assistant", "content": "Which module?"},
              {"role": "user", "content": "The core one."}],
             "tools": [{"type": "function", "function": {"name": "read", "parameters": {"type": "object"}}},
                       {"type": "function", "function": {"name": "write", "parameters": {"type": "object"}}}]}
            """.formatted(CLAUDE, SYSTEM);

    /** Tools, system, the previous user turn and the newest message, in the order of the request's fields. */
    private static final List<String> AGENT_BREAKPOINTS = List.of("/system/0", "/messages/0/content/0",
            "/messages/2/content/0", "/tools/1");

    @Test
    void aChatCallersTurnReachesAnthropicWithBreakpointsWhenAuto() throws Exception {
        post(auto, RawClient.OPENAI_CHAT, CHAT_TURN);
        JsonNode sent = anthropicAuto.lastRequest().json();
        assertEquals(AGENT_BREAKPOINTS, breakpoints(sent));
        assertEquals(SYSTEM, sent.at("/system/0/text").textValue());
        assertEquals("The core one.", sent.at("/messages/2/content/0/text").textValue());
    }

    @Test
    void offSendsNoBreakpoints() throws Exception {
        post(off, RawClient.OPENAI_CHAT, CHAT_TURN);
        assertEquals(List.of(), breakpoints(anthropicOff.lastRequest().json()));
    }

    @Test
    void aResponsesCallersTurnReachesAnthropicWithBreakpoints() throws Exception {
        post(auto, "/v1/responses", """
                {"model": "%s", "instructions": "%s", "input": [
                  {"role": "user", "content": "Fix the build."},
                  {"role": "assistant", "content": "Which module?"},
                  {"role": "user", "content": "The core one."}],
                 "tools": [{"type": "function", "name": "read", "parameters": {"type": "object"}},
                           {"type": "function", "name": "write", "parameters": {"type": "object"}}]}
                """.formatted(CLAUDE, SYSTEM));
        JsonNode sent = anthropicAuto.lastRequest().json();
        assertEquals(AGENT_BREAKPOINTS, breakpoints(sent));
        assertEquals("write", sent.at("/tools/1/name").textValue());
    }

    @Test
    void aGeminiCallersTurnReachesAnthropicWithBreakpoints() throws Exception {
        post(auto, "/v1beta/models/" + CLAUDE + ":generateContent", """
                {"systemInstruction": {"parts": [{"text": "%s"}]}, "contents": [
                  {"role": "user", "parts": [{"text": "Fix the build."}]},
                  {"role": "model", "parts": [{"text": "Which module?"}]},
                  {"role": "user", "parts": [{"text": "The core one."}]}],
                 "tools": [{"functionDeclarations": [{"name": "read", "parameters": {"type": "object"}},
                                                     {"name": "write", "parameters": {"type": "object"}}]}]}
                """.formatted(SYSTEM));
        JsonNode sent = anthropicAuto.lastRequest().json();
        assertEquals(AGENT_BREAKPOINTS, breakpoints(sent));
        assertEquals(SYSTEM, sent.at("/system/0/text").textValue());
    }

    @Test
    void anAnthropicCallersOwnBreakpointsReachAnthropicAsTheyAre() throws Exception {
        ObjectNode request = (ObjectNode) JSON.readTree("""
                {"model": "sonnet", "max_tokens": 64,
                 "system": [{"type": "text", "text": "%s", "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
                 "tools": [{"name": "read", "input_schema": {"type": "object"}, "cache_control": {"type": "ephemeral"}}],
                 "messages": [
                   {"role": "user", "content": [{"type": "text", "text": "Big document",
                                                 "cache_control": {"type": "ephemeral"}}, {"type": "text", "text": "Q?"}]},
                   {"role": "assistant", "content": "A."},
                   {"role": "user", "content": "Next?"}]}
                """.formatted(SYSTEM));
        post(auto, RawClient.MESSAGES, request.toString());
        JsonNode sent = anthropicAuto.lastRequest().json();
        assertEquals(CLAUDE, sent.get("model").textValue(), "the alias is rewritten");
        assertEquals(3, sent.get("top_k").intValue(), "the payload rule applied");
        assertEquals(request.get("system"), sent.get("system"));
        assertEquals(request.get("tools"), sent.get("tools"));
        assertEquals(request.get("messages"), sent.get("messages"));
        assertEquals(List.of("/system/0", "/tools/0", "/messages/0/content/0"), markedBlocks(sent),
                "none added to an Anthropic caller's request");
    }

    // ---- cache tokens in the caller's usage ------------------------------------------------------------------------

    private static ObjectNode anthropicUsage(int output) {
        return JSON.createObjectNode().put("input_tokens", INPUT).put("cache_creation_input_tokens", CACHE_WRITE)
                .put("cache_read_input_tokens", CACHE_READ).put("output_tokens", output);
    }

    /** Anthropic's answer with cache reads and writes, on its wire, whole or as its event stream. */
    private static Reply cachedAnswer(boolean stream) throws Exception {
        ObjectNode message = JSON.createObjectNode().put("id", "msg_01CacheHit").put("type", "message")
                .put("role", "assistant").put("model", CLAUDE);
        if (!stream) {
            message.putArray("content").addObject().put("type", "text").put("text", "Done.");
            message.put("stop_reason", "end_turn").putNull("stop_sequence");
            message.set("usage", anthropicUsage(OUTPUT));
            return Reply.error(200, JSON.writeValueAsString(message), Map.of("content-type", "application/json"));
        }
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.set("usage", anthropicUsage(1));
        StringBuilder events = new StringBuilder();
        event(events, JSON.createObjectNode().put("type", "message_start").set("message", message));
        ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");
        event(events, blockStart);
        ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", "text_delta").put("text", "Done.");
        event(events, delta);
        event(events, JSON.createObjectNode().put("type", "content_block_stop").put("index", 0));
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        messageDelta.set("usage", anthropicUsage(OUTPUT));
        event(events, messageDelta);
        event(events, JSON.createObjectNode().put("type", "message_stop"));
        return Reply.error(200, events.toString(), Map.of("content-type", EVENT_STREAM));
    }

    private static void event(StringBuilder events, JsonNode data) throws Exception {
        events.append("event: ").append(data.path("type").asText()).append("\ndata: ")
                .append(JSON.writeValueAsString(data)).append("\n\n");
    }

    /** The last data line of a stream holding {@code field}, as JSON. */
    private static JsonNode lastWith(RawClient.Capture stream, String pointer) throws Exception {
        assertEquals(200, stream.status());
        JsonNode found = null;
        for (String data : stream.dataLines()) {
            if (data.startsWith("{")) {
                JsonNode event = JSON.readTree(data);
                if (!event.at(pointer).isMissingNode() && !event.at(pointer).isNull()) {
                    found = event;
                }
            }
        }
        assertTrue(found != null, "no event with " + pointer + " in " + stream.dataLines());
        return found;
    }

    private static final int PROMPT = INPUT + CACHE_READ + CACHE_WRITE;

    @Test
    void aChatCallerSeesTheCacheReadsAsCachedTokens() throws Exception {
        anthropicAuto.enqueue(cachedAnswer(false));
        JsonNode whole = JSON.readTree(post(auto, RawClient.OPENAI_CHAT, RawClient.chat(CLAUDE, "hi", false)));
        assertEquals(PROMPT, whole.at("/usage/prompt_tokens").intValue());
        assertEquals(CACHE_READ, whole.at("/usage/prompt_tokens_details/cached_tokens").intValue(), whole.toString());

        anthropicAuto.enqueue(cachedAnswer(true));
        JsonNode last = lastWith(new RawClient(auto).stream(RawClient.OPENAI_CHAT, "{\"model\":\"" + CLAUDE
                + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "/usage/prompt_tokens");
        assertEquals(PROMPT, last.at("/usage/prompt_tokens").intValue());
        assertEquals(CACHE_READ, last.at("/usage/prompt_tokens_details/cached_tokens").intValue(), last.toString());
    }

    @Test
    void aResponsesCallerSeesTheCacheReadsAsCachedInputTokens() throws Exception {
        String body = "{\"model\":\"" + CLAUDE + "\",\"input\":\"hi\"";
        anthropicAuto.enqueue(cachedAnswer(false));
        JsonNode whole = JSON.readTree(post(auto, "/v1/responses", body + "}"));
        assertEquals(PROMPT, whole.at("/usage/input_tokens").intValue());
        assertEquals(CACHE_READ, whole.at("/usage/input_tokens_details/cached_tokens").intValue(), whole.toString());

        anthropicAuto.enqueue(cachedAnswer(true));
        JsonNode completed = lastWith(new RawClient(auto).stream("/v1/responses", body + ",\"stream\":true}"),
                "/response/usage");
        assertEquals("response.completed", completed.get("type").textValue());
        assertEquals(PROMPT, completed.at("/response/usage/input_tokens").intValue());
        assertEquals(CACHE_READ, completed.at("/response/usage/input_tokens_details/cached_tokens").intValue(),
                completed.toString());
    }

    @Test
    void aGeminiCallerSeesTheCacheReadsAsCachedContentTokens() throws Exception {
        String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
        anthropicAuto.enqueue(cachedAnswer(false));
        JsonNode whole = JSON.readTree(post(auto, "/v1beta/models/" + CLAUDE + ":generateContent", body));
        assertEquals(PROMPT, whole.at("/usageMetadata/promptTokenCount").intValue());
        assertEquals(CACHE_READ, whole.at("/usageMetadata/cachedContentTokenCount").intValue(), whole.toString());

        anthropicAuto.enqueue(cachedAnswer(true));
        JsonNode last = lastWith(new RawClient(auto).stream("/v1beta/models/" + CLAUDE
                + ":streamGenerateContent?alt=sse", body), "/usageMetadata/cachedContentTokenCount");
        assertEquals(PROMPT, last.at("/usageMetadata/promptTokenCount").intValue());
        assertEquals(CACHE_READ, last.at("/usageMetadata/cachedContentTokenCount").intValue(), last.toString());
    }

    @Test
    void theUsageRecordKeepsCacheReadsAndWrites() throws Exception {
        java.net.http.HttpRequest.Builder request = new RawClient(auto).request(RawClient.OPENAI_CHAT,
                RawClient.chat(CLAUDE, "hi", true)).setHeader("authorization", "Bearer " + METERED_KEY);
        anthropicAuto.enqueue(cachedAnswer(true));
        assertEquals(200, new RawClient(auto).send(request).statusCode());
        JsonNode row = new AdminApi(auto, ADMIN).awaitSingleUsageRow("cache-metered");
        assertEquals(PROMPT, row.get("input_tokens").intValue(), row.toString());
        assertEquals(CACHE_READ, row.get("cache_read_tokens").intValue());
        assertEquals(CACHE_WRITE, row.get("cache_write_tokens").intValue());
        assertEquals(OUTPUT, row.get("output_tokens").intValue());
    }
}
