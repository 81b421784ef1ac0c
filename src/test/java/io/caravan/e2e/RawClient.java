package io.caravan.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** Plain HTTP calls to the gateway, for assertions on the wire itself (status, headers, exact SSE lines). */
public final class RawClient {

    public static final String OPENAI_CHAT = "/v1/chat/completions";
    public static final String MESSAGES = "/v1/messages";

    private final HttpClient http;
    private final String baseUrl;

    public RawClient(TestGateway gateway) {
        this(gateway.baseUrl(), HttpClient.Version.HTTP_1_1);
    }

    public RawClient(String baseUrl, HttpClient.Version version) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The underlying client, for requests sent without waiting. */
    public HttpClient http() {
        return http;
    }

    public static String chat(String model, String prompt, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    }

    public static String messages(String model, String prompt, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    }

    /** A request with the test client key and a JSON body; Anthropic paths also get {@code anthropic-version}. */
    public HttpRequest.Builder request(String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + TestGateway.CLIENT_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (path.startsWith(MESSAGES)) {
            b.header("anthropic-version", "2023-06-01");
        }
        return b;
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body) throws Exception {
        return send(request(path, body));
    }

    /** Sends without waiting; the whole body (a stream too) is read before the future completes. */
    public CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
        return http.sendAsync(request(path, body).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads a streamed answer line by line, recording when each line arrived. */
    public Capture stream(String path, String body) throws Exception {
        long start = System.nanoTime();
        HttpResponse<Stream<String>> response = http.send(request(path, body).build(), HttpResponse.BodyHandlers.ofLines());
        List<Line> lines = new ArrayList<>();
        response.body().forEach(l -> lines.add(new Line((System.nanoTime() - start) / 1_000_000, l)));
        return new Capture(response, lines);
    }

    /** One line of a streamed body and the milliseconds after the request at which it arrived. */
    public record Line(long atMillis, String text) {
    }

    public record Capture(HttpResponse<?> response, List<Line> lines) {

        public int status() {
            return response.statusCode();
        }

        public List<String> dataLines() {
            return lines.stream().map(Line::text).filter(t -> t.startsWith("data: ")).map(t -> t.substring(6)).toList();
        }

        public List<String> eventNames() {
            return lines.stream().map(Line::text).filter(t -> t.startsWith("event: ")).map(t -> t.substring(7)).toList();
        }

        public List<Line> dataLinesTimed() {
            return lines.stream().filter(l -> l.text().startsWith("data: ")).toList();
        }

        public long count(String exactLine) {
            return lines.stream().filter(l -> l.text().equals(exactLine)).count();
        }

        public String text() {
            StringBuilder sb = new StringBuilder();
            lines.forEach(l -> sb.append(l.text()).append('\n'));
            return sb.toString();
        }
    }

    /**
     * Opens a streaming request on a plain socket, reads until {@code untilText} has arrived, then closes the socket:
     * a caller that goes away in the middle of an answer. Returns early when the answer ends without that text.
     */
    /** Opens a stream, reads until {@code untilText} (or the answer's end) and drops the socket; returns the status. */
    public static int openAndAbandon(TestGateway gateway, String path, String body, String untilText) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + TestGateway.CLIENT_KEY + "\r\nanthropic-version: 2023-06-01\r\n"
                    + "Content-Length: " + payload.length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(payload);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            if (status == null || !status.contains(" 200 ")) {
                return status == null ? 0 : Integer.parseInt(status.split(" ")[1]);
            }
            String line;
            while ((line = in.readLine()) != null) {
                // Leave at the text, or as soon as the answer is over without it (error, or end of stream).
                if (line.contains(untilText) || line.equals("0") || line.contains("[DONE]") || line.contains("message_stop")
                        || line.contains("\"error\"")) {
                    return 200;
                }
            }
            return 200;
        }
    }
}
