package io.caravan.bench.target;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Single blocking requests for readiness and availability checks (never for load). */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private Http() {
    }

    /** Status and body of a POST along the route; status -1 and the error text when it did not answer. */
    public static Answer post(Route route, boolean stream) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(route.url(stream)))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(route.body(stream)));
        route.headers().forEach(request::header);
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            return new Answer(-1, e.toString(), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "interrupted", Map.of());
        }
    }

    /** Waits until something accepts TCP connections on the port, or the deadline passes. */
    public static boolean waitForPort(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    /** True when nothing listens on the port now. */
    public static boolean portIsFree(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    public record Answer(int status, String body, Map<String, List<String>> headers) {
        public boolean ok() {
            return status == 200;
        }

        /** True when the gateway (or the server) answered at all, whatever the status. */
        public boolean answered() {
            return status > 0;
        }

        /** The first value of a header (names compared without case), or null. */
        public String header(String name) {
            String wanted = name.toLowerCase(Locale.ROOT);
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(wanted) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** A short description for reports. */
        public String summary() {
            String text = body == null ? "" : body.replaceAll("\\s+", " ");
            return (status < 0 ? "no answer" : "HTTP " + status) + ": "
                    + (text.length() > 160 ? text.substring(0, 160) + "…" : text);
        }
    }
}
