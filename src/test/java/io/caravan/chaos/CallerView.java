package io.caravan.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.chaos.RawExchange.End;
import io.caravan.chaos.RawExchange.Response;
import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a caller of one dialect makes of an answer, judged the way its official SDK would: a correct answer (the
 * expected text, and for a stream every event up to the proper end), a clean error (an HTTP error or an in-band
 * error event, each in the caller's dialect), or something broken: a stream that looks finished but was cut, a
 * success that is not an answer, an error in the wrong shape, a connection dropped without a word.
 */
final class CallerView {

    enum Outcome {
        ANSWERED, HTTP_ERROR, IN_BAND_ERROR, LEFT_EARLY, LOST, BROKEN
    }

    /** The judgement, the kind of problem (null for an answer) and what was seen. */
    record Verdict(Outcome outcome, String kind, String detail) {

        boolean failed() {
            return outcome == Outcome.BROKEN || outcome == Outcome.LOST;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private CallerView() {
    }

    static Verdict judge(Dialect dialect, boolean stream, String expectedText, Response response) {
        switch (response.end()) {
            case LEFT:
                return new Verdict(Outcome.LEFT_EARLY, null, "left after " + response.millis() + " ms");
            case NO_END_IN_TIME:
                return new Verdict(Outcome.LOST, "no complete answer within the bound",
                        response.describe());
            case CLOSED_BEFORE_ANSWER:
                return broken("the connection ended without any answer", response);
            case TOO_LARGE:
                return broken("an answer larger than the caller's cap", response);
            default:
                break;
        }
        if (response.bodyText().contains("sk-chaos-")) {
            return broken("the answer quotes an upstream credential's key", response);
        }
        int status = response.status();
        if (status >= 400 && status <= 599) {
            if (response.end() != End.COMPLETE) {
                return broken("an error answer cut short", response);
            }
            String problem = errorShapeProblem(dialect, response.bodyText());
            return problem == null ? new Verdict(Outcome.HTTP_ERROR, Integer.toString(status), null)
                    : broken("an HTTP " + status + " error that is not " + dialect.id() + "-shaped: " + problem, response);
        }
        if (status != 200) {
            return broken("an unexpected status", response);
        }
        if (!stream) {
            if (response.end() != End.COMPLETE) {
                return broken("a 200 answer cut short", response);
            }
            String problem = answerProblem(dialect, expectedText, response);
            return problem == null ? new Verdict(Outcome.ANSWERED, null, null) : broken(problem, response);
        }
        return judgeStream(dialect, expectedText, response);
    }

    private static Verdict judgeStream(Dialect dialect, String expectedText, Response response) {
        String contentType = String.valueOf(response.header("content-type"));
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return broken("a 200 stream answer with content-type " + contentType, response);
        }
        StreamReading reading = dialect == Dialects.OPENAI ? readOpenAi(sse(response.bodyText()))
                : readAnthropic(sse(response.bodyText()));
        if (reading.problem != null) {
            return broken(reading.problem, response);
        }
        if (reading.error) {
            return new Verdict(Outcome.IN_BAND_ERROR, null, null);
        }
        if (response.end() != End.COMPLETE) {
            return broken("a stream cut at the connection without an in-band error", response);
        }
        if (!reading.ended) {
            return broken("a stream that ended without its final event and without an in-band error", response);
        }
        if (!reading.finished) {
            return broken("a stream presented as finished (end marker) without its finish/stop reason", response);
        }
        if (!expectedText.equals(reading.text.toString())) {
            return broken("a stream presented as finished with another text than the answer", response,
                    "text \"" + RawExchange.abbreviate(reading.text.toString(), 120) + "\"");
        }
        return new Verdict(Outcome.ANSWERED, null, null);
    }

    private static final class StreamReading {
        final StringBuilder text = new StringBuilder();
        boolean finished;
        boolean ended;
        boolean error;
        String problem;
    }

    private static StreamReading readOpenAi(List<String[]> events) {
        StreamReading r = new StreamReading();
        for (String[] event : events) {
            String data = event[1];
            if (r.ended) {
                r.problem = "data after [DONE]: " + RawExchange.abbreviate(data, 200);
                return r;
            }
            if (event[0] != null) {
                r.problem = "an OpenAI stream event with an event: field (" + event[0] + ")";
                return r;
            }
            if ("[DONE]".equals(data)) {
                r.ended = true;
                continue;
            }
            JsonNode chunk = parse(data);
            if (chunk == null) {
                r.problem = "a data line that is not JSON: " + RawExchange.abbreviate(data, 200);
                return r;
            }
            if (chunk.has("error")) {
                String shape = errorShapeProblem(Dialects.OPENAI, data);
                if (shape != null) {
                    r.problem = "an in-band error that is not OpenAI-shaped: " + shape;
                    return r;
                }
                r.error = true;
                continue;
            }
            if (r.error) {
                r.problem = "a chunk after the in-band error: " + RawExchange.abbreviate(data, 200);
                return r;
            }
            if (!"chat.completion.chunk".equals(chunk.path("object").asText())) {
                r.problem = "a data chunk that is not a chat.completion.chunk: " + RawExchange.abbreviate(data, 200);
                return r;
            }
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode content = choice.path("delta").path("content");
                if (content.isTextual()) {
                    r.text.append(content.asText());
                }
                if (choice.path("finish_reason").isTextual()) {
                    r.finished = true;
                }
            }
        }
        return r;
    }

    private static StreamReading readAnthropic(List<String[]> events) {
        StreamReading r = new StreamReading();
        boolean started = false;
        for (String[] event : events) {
            JsonNode data = parse(event[1]);
            if (data == null) {
                r.problem = "event data that is not JSON: " + RawExchange.abbreviate(event[1], 200);
                return r;
            }
            String type = data.path("type").asText();
            if (event[0] == null || !event[0].equals(type)) {
                r.problem = "an Anthropic event named " + event[0] + " whose data has type " + type;
                return r;
            }
            if (r.ended || r.error) {
                r.problem = "an event after " + (r.error ? "the in-band error" : "message_stop") + ": " + type;
                return r;
            }
            switch (type) {
                case "error" -> {
                    String shape = errorShapeProblem(Dialects.ANTHROPIC, event[1]);
                    if (shape != null) {
                        r.problem = "an in-band error that is not Anthropic-shaped: " + shape;
                        return r;
                    }
                    r.error = true;
                }
                case "message_start" -> started = true;
                case "content_block_delta" -> {
                    JsonNode delta = data.path("delta");
                    if ("text_delta".equals(delta.path("type").asText())) {
                        r.text.append(delta.path("text").asText());
                    }
                }
                case "message_delta" -> r.finished = data.path("delta").path("stop_reason").isTextual()
                        && data.path("usage").isObject();
                case "message_stop" -> r.ended = true;
                case "ping", "content_block_start", "content_block_stop" -> { }
                default -> {
                    r.problem = "an unknown event type " + type;
                    return r;
                }
            }
            if (!started && !r.error) {
                r.problem = "a stream that does not open with message_start (" + type + " first)";
                return r;
            }
        }
        return r;
    }

    /** Null when {@code body} is the error JSON a caller of {@code dialect} expects, else what is wrong with it. */
    static String errorShapeProblem(Dialect dialect, String body) {
        JsonNode root = parse(body);
        if (root == null || !root.isObject()) {
            return "not a JSON object: " + RawExchange.abbreviate(body, 200);
        }
        JsonNode error = root.path("error");
        if (!error.isObject() || !error.path("message").isTextual() || !error.path("type").isTextual()) {
            return "no error object with message and type: " + RawExchange.abbreviate(body, 200);
        }
        if (dialect == Dialects.ANTHROPIC && !"error".equals(root.path("type").asText())) {
            return "Anthropic errors carry \"type\":\"error\" at the top: " + RawExchange.abbreviate(body, 200);
        }
        if (dialect == Dialects.OPENAI && root.has("type")) {
            return "an Anthropic-shaped error for an OpenAI caller: " + RawExchange.abbreviate(body, 200);
        }
        return null;
    }

    private static String answerProblem(Dialect dialect, String expectedText, Response response) {
        String contentType = String.valueOf(response.header("content-type"));
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return "a 200 answer with content-type " + contentType;
        }
        JsonNode root = parse(response.bodyText());
        if (root == null) {
            return "a 200 answer that is not JSON";
        }
        String text;
        if (dialect == Dialects.OPENAI) {
            JsonNode choice = root.path("choices").path(0);
            if (!"chat.completion".equals(root.path("object").asText()) || !choice.path("finish_reason").isTextual()) {
                return "a 200 answer that is not a finished chat.completion";
            }
            text = choice.path("message").path("content").asText();
        } else {
            if (!"message".equals(root.path("type").asText()) || !root.path("stop_reason").isTextual()) {
                return "a 200 answer that is not a finished Anthropic message";
            }
            StringBuilder joined = new StringBuilder();
            for (JsonNode block : root.path("content")) {
                if ("text".equals(block.path("type").asText())) {
                    joined.append(block.path("text").asText());
                }
            }
            text = joined.toString();
        }
        return expectedText.equals(text) ? null : "a 200 answer with another text than the answer";
    }

    /** The events of an SSE body as {event name or null, data}; comments and events without data are skipped. */
    static List<String[]> sse(String body) {
        List<String[]> events = new ArrayList<>();
        String name = null;
        StringBuilder data = null;
        for (String raw : body.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new String[] {name, data.toString()});
                }
                name = null;
                data = null;
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                String value = line.substring(5);
                value = value.startsWith(" ") ? value.substring(1) : value;
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        if (data != null) {
            // An event the stream ended in the middle of still counts for what it says (an in-band error, say).
            events.add(new String[] {name, data.toString()});
        }
        return events;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private static Verdict broken(String what, Response response, String seen) {
        return new Verdict(Outcome.BROKEN, what, seen + "; " + response.describe());
    }

    private static Verdict broken(String what, Response response) {
        return new Verdict(Outcome.BROKEN, what, response.describe());
    }
}
