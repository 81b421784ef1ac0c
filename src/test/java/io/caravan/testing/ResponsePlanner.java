package io.caravan.testing;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a {@link Reply} (or a rejection) into the exact bytes and timing of one response in one dialect. */
final class ResponsePlanner {

    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

    /** Not valid JSON in either dialect: an object cut off mid-string, as a broken proxy might pass it on. */
    private static final String MALFORMED_EVENT = "data: {\"choices\": [{\"delta\": {\"content\": \"cut off\n\n";

    private final Wire wire;

    ResponsePlanner(Wire wire) {
        this.wire = wire;
    }

    ResponsePlan rejection(Rejection rejection, String requestId) {
        return document(rejection.status(), JSON, wire.errorBody(rejection, requestId), requestId, Map.of());
    }

    ResponsePlan document(int status, String body, String requestId) {
        return document(status, JSON, body, requestId, Map.of());
    }

    ResponsePlan plan(Reply reply, ReplyContext context) {
        ResponsePlan plan = unpaced(reply, context);
        Map<String, String> headers = new LinkedHashMap<>(plan.headers());
        reply.headers().forEach((name, value) -> {
            headers.keySet().removeIf(name::equalsIgnoreCase);
            headers.put(name, value);
        });
        return new ResponsePlan(plan.status(), headers, plan.parts(), plan.streaming(), plan.ending(), reply.pace(),
                reply.delay());
    }

    private ResponsePlan unpaced(Reply reply, ReplyContext context) {
        String requestId = context.requestId();
        return switch (reply.kind()) {
            case TEXT -> completion(new Completion.Text(reply.text()), context);
            case TOOL_CALL -> completion(new Completion.ToolCall(reply.toolName(), reply.toolArguments()), context);
            case COUNT_TOKENS -> document(200, wire.countTokens(reply.count()), requestId);
            case RAW_ERROR -> document(reply.status(), JSON, reply.body(), requestId, Map.of());
            case RATE_LIMITED -> rateLimited(reply.count(), requestId);
            case RATE_LIMITED_NO_HINT -> rejection(wire.rateLimit(), requestId);
            case HTML -> document(reply.status(), "text/html", cloudflarePage(reply.status()), requestId, Map.of());
            case OVERLOADED -> rejection(wire.overloaded(), requestId);
            case DROP_AFTER -> stream(brokenStream(context, reply.count()), ResponsePlan.Ending.DROP, requestId);
            case STALL_AFTER -> stream(brokenStream(context, reply.count()), ResponsePlan.Ending.STALL, requestId);
            case STREAM_ERROR_AFTER -> {
                List<String> events = brokenStream(context, reply.count());
                events.add(wire.streamError(requestId));
                yield stream(events, ResponsePlan.Ending.END, requestId);
            }
            case HEADERS_THEN_HANG -> stream(List.of(), ResponsePlan.Ending.STALL, requestId);
            case HANG -> new ResponsePlan(0, Map.of(), List.of(), false, ResponsePlan.Ending.NEVER_ANSWER,
                    Duration.ZERO, Duration.ZERO);
            case END_AFTER -> stream(brokenStream(context, reply.count()), ResponsePlan.Ending.END, requestId);
            case TEXT_WITHOUT_LAST_EVENT -> {
                List<String> events = wire.stream(context, new Completion.Text(reply.text())).all();
                yield stream(events.subList(0, events.size() - 1), ResponsePlan.Ending.END, requestId);
            }
            case MALFORMED_EVENT_AFTER -> {
                StreamPlan whole = wire.stream(context, Completion.Text.ofWords(reply.count()));
                List<String> events = whole.upTo(reply.count());
                events.add(MALFORMED_EVENT);
                events.addAll(whole.closing());
                yield stream(events, ResponsePlan.Ending.END, requestId);
            }
            case OVERSIZED -> document(200, String.join("", oversizedObject(reply.count())), requestId);
            case OVERSIZED_UNDECLARED -> {
                Map<String, String> headers = new LinkedHashMap<>(wire.commonHeaders(requestId));
                headers.put("content-type", JSON);
                yield new ResponsePlan(200, headers, oversizedObject(reply.count()), true, ResponsePlan.Ending.STALL,
                        Duration.ZERO, Duration.ZERO);
            }
            case UNTERMINATED_LINE_AFTER -> {
                List<String> events = reply.count() < 0 ? new ArrayList<>() : brokenStream(context, reply.count());
                events.add("data: ");
                events.addAll(filler(reply.status()));
                yield stream(events, ResponsePlan.Ending.STALL, requestId);
            }
            case STREAM_ERROR_FIRST -> stream(List.of(wire.streamError(requestId)), ResponsePlan.Ending.END, requestId);
        };
    }

    /** Size of each write of an oversized body: big bodies go out in many flushed pieces, as from a real server. */
    private static final int FILLER_PIECE = 4096;

    /** A JSON object that is never closed, about {@code bytes} long, in pieces. */
    private static List<String> oversizedObject(int bytes) {
        List<String> parts = new ArrayList<>();
        parts.add("{\"id\":\"chatcmpl-oversized\",\"object\":\"chat.completion\",\"padding\":\"");
        parts.addAll(filler(bytes));
        return parts;
    }

    private static List<String> filler(int bytes) {
        List<String> parts = new ArrayList<>();
        for (int left = bytes; left > 0; left -= FILLER_PIECE) {
            parts.add("x".repeat(Math.min(FILLER_PIECE, left)));
        }
        return parts;
    }

    /** The opening events and {@code chunks} one-word text chunks of a stream that never finishes normally. */
    private List<String> brokenStream(ReplyContext context, int chunks) {
        return wire.stream(context, Completion.Text.ofWords(chunks)).upTo(chunks);
    }

    private ResponsePlan rateLimited(int retryAfterSeconds, String requestId) {
        return document(429, JSON, wire.rateLimitBody(retryAfterSeconds, requestId), requestId,
                wire.rateLimitHeaders(retryAfterSeconds));
    }

    private ResponsePlan completion(Completion completion, ReplyContext context) {
        if (context.stream()) {
            return stream(wire.stream(context, completion).all(), ResponsePlan.Ending.END, context.requestId());
        }
        return document(200, wire.completion(context, completion), context.requestId());
    }

    private ResponsePlan stream(List<String> events, ResponsePlan.Ending ending, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>(wire.commonHeaders(requestId));
        headers.put("content-type", EVENT_STREAM);
        headers.put("cache-control", "no-cache");
        return new ResponsePlan(200, headers, events, true, ending, Duration.ZERO, Duration.ZERO);
    }

    private ResponsePlan document(int status, String contentType, String body, String requestId,
                                  Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(wire.commonHeaders(requestId));
        headers.put("content-type", contentType);
        headers.putAll(extraHeaders);
        return new ResponsePlan(status, headers, List.of(body), false, ResponsePlan.Ending.END, Duration.ZERO,
                Duration.ZERO);
    }

    private static String cloudflarePage(int status) {
        String title = status + " " + HttpResponseStatus.valueOf(status).reasonPhrase();
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                + "</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";
    }
}
