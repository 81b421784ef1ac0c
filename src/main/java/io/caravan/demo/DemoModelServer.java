package io.caravan.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built-in demo model, served in-process on a loopback port so that a gateway with no credentials still answers
 * in both dialects, streaming and not, through exactly the same path as a real upstream. It echoes the last user
 * message; it never calls anything outside the process.
 */
public final class DemoModelServer implements AutoCloseable {

    public static final String MODEL = "caravan-demo";
    private static final long CHUNK_INTERVAL_MS = 15;

    private final Vertx vertx;
    private final ObjectMapper mapper;
    private HttpServer server;

    public DemoModelServer(Vertx vertx, ObjectMapper mapper) {
        this.vertx = vertx;
        this.mapper = mapper;
    }

    /** Starts on an ephemeral loopback port and returns it. */
    public int start() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle);
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            try {
                JsonNode json = mapper.readTree(body.getBytes());
                switch (request.path()) {
                    case "/v1/chat/completions" -> openAi(request.response(), json);
                    case "/v1/messages" -> anthropic(request.response(), json);
                    case "/v1/messages/count_tokens" -> json(request.response(),
                            mapper.createObjectNode().put("input_tokens", Math.max(1, body.length() / 4)));
                    default -> request.response().setStatusCode(404).end();
                }
            } catch (Exception e) {
                request.response().setStatusCode(400).end();
            }
        });
    }

    private String answer(JsonNode request) {
        String said = "";
        for (JsonNode message : request.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                said = textOf(message.path("content"));
            }
        }
        if (said.length() > 200) {
            said = said.substring(0, 200) + "…";
        }
        return "Hello from Caravan's built-in demo model. No upstream was called: add credentials to reach real models."
                + (said.isBlank() ? "" : " You said: " + said);
    }

    private static String textOf(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) {
                text.append(part.path("text").asText());
            }
        }
        return text.toString();
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : text.split("(?<= )")) {
            words.add(w);
        }
        return words;
    }

    private void openAi(HttpServerResponse response, JsonNode request) {
        String text = answer(request);
        String model = request.path("model").asText(MODEL);
        String id = "chatcmpl-demo" + Long.toHexString(System.nanoTime());
        long created = System.currentTimeMillis() / 1000;
        int outputTokens = words(text).size();
        if (!request.path("stream").asBoolean(false)) {
            ObjectNode body = mapper.createObjectNode().put("id", id).put("object", "chat.completion")
                    .put("created", created).put("model", model);
            ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", text);
            choice.put("finish_reason", "stop");
            body.putObject("usage").put("prompt_tokens", 8).put("completion_tokens", outputTokens)
                    .put("total_tokens", 8 + outputTokens);
            json(response, body);
            return;
        }
        boolean usage = request.path("stream_options").path("include_usage").asBoolean(false);
        List<String> events = new ArrayList<>();
        events.add(chunk(id, created, model, mapper.createObjectNode().put("role", "assistant").put("content", ""), null, usage));
        for (String w : words(text)) {
            events.add(chunk(id, created, model, mapper.createObjectNode().put("content", w), null, usage));
        }
        events.add(chunk(id, created, model, mapper.createObjectNode(), "stop", usage));
        if (usage) {
            ObjectNode last = mapper.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                    .put("created", created).put("model", model);
            last.putArray("choices");
            last.putObject("usage").put("prompt_tokens", 8).put("completion_tokens", outputTokens)
                    .put("total_tokens", 8 + outputTokens);
            events.add("data: " + last + "\n\n");
        }
        events.add("data: [DONE]\n\n");
        stream(response, events);
    }

    private String chunk(String id, long created, String model, ObjectNode delta, String finish, boolean usage) {
        ObjectNode chunk = mapper.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        if (usage) {
            chunk.putNull("usage");
        }
        return "data: " + chunk + "\n\n";
    }

    private void anthropic(HttpServerResponse response, JsonNode request) {
        String text = answer(request);
        String model = request.path("model").asText(MODEL);
        String id = "msg_demo" + Long.toHexString(System.nanoTime());
        int outputTokens = words(text).size();
        if (!request.path("stream").asBoolean(false)) {
            ObjectNode body = mapper.createObjectNode().put("id", id).put("type", "message").put("role", "assistant")
                    .put("model", model);
            body.putArray("content").addObject().put("type", "text").put("text", text);
            body.put("stop_reason", "end_turn").putNull("stop_sequence");
            body.putObject("usage").put("input_tokens", 8).put("output_tokens", outputTokens);
            json(response, body);
            return;
        }
        List<String> events = new ArrayList<>();
        ObjectNode start = mapper.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message").put("id", id).put("type", "message").put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 8).put("output_tokens", 1);
        events.add(named("message_start", start));
        ObjectNode blockStart = mapper.createObjectNode().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");
        events.add(named("content_block_start", blockStart));
        for (String w : words(text)) {
            ObjectNode delta = mapper.createObjectNode().put("type", "content_block_delta").put("index", 0);
            delta.putObject("delta").put("type", "text_delta").put("text", w);
            events.add(named("content_block_delta", delta));
        }
        events.add(named("content_block_stop", mapper.createObjectNode().put("type", "content_block_stop").put("index", 0)));
        ObjectNode messageDelta = mapper.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", outputTokens);
        events.add(named("message_delta", messageDelta));
        events.add(named("message_stop", mapper.createObjectNode().put("type", "message_stop")));
        stream(response, events);
    }

    private static String named(String event, ObjectNode data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    private void json(HttpServerResponse response, ObjectNode body) {
        response.putHeader("content-type", "application/json").end(body.toString());
    }

    private void stream(HttpServerResponse response, List<String> events) {
        response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
        sendFrom(response, events, 0);
    }

    private void sendFrom(HttpServerResponse response, List<String> events, int next) {
        if (response.closed()) {
            return;
        }
        if (next == events.size()) {
            response.end();
            return;
        }
        response.write(Buffer.buffer(events.get(next)));
        vertx.setTimer(CHUNK_INTERVAL_MS, id -> sendFrom(response, events, next + 1));
    }
}
