package io.caravan.chaos;

import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import io.caravan.e2e.TestGateway;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;

/** Well-formed caller requests as the official SDKs send them, and the JVM figures the chaos runs compare. */
final class ChaosCalls {

    static final String OPENAI_CHAT = "/v1/chat/completions";
    static final String MESSAGES = "/v1/messages";

    private ChaosCalls() {
    }

    /** A completion request of {@code dialect} whose prompt carries {@code nonce}, on a connection closed after it. */
    static byte[] completion(int port, Dialect dialect, String model, boolean stream, boolean includeUsage, String nonce) {
        String prompt = "[{\"role\":\"user\",\"content\":\"Greet " + nonce + "\"}]";
        String body;
        StringBuilder head = new StringBuilder();
        if (dialect == Dialects.OPENAI) {
            body = "{\"model\":\"" + model + "\",\"stream\":" + stream
                    + (stream && includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                    + ",\"messages\":" + prompt + "}";
            head.append("POST ").append(OPENAI_CHAT).append(" HTTP/1.1\r\n")
                    .append("Authorization: Bearer ").append(TestGateway.CLIENT_KEY).append("\r\n");
        } else {
            body = "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":" + stream + ",\"messages\":" + prompt + "}";
            head.append("POST ").append(MESSAGES).append(" HTTP/1.1\r\n")
                    .append("x-api-key: ").append(TestGateway.CLIENT_KEY).append("\r\n")
                    .append("anthropic-version: 2023-06-01\r\n");
        }
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        head.append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Accept: ").append(stream ? "text/event-stream" : "application/json").append("\r\n")
                .append("Content-Length: ").append(payload.length).append("\r\n")
                .append("Connection: close\r\n\r\n");
        return concat(head.toString().getBytes(StandardCharsets.US_ASCII), payload);
    }

    /** {@code GET /healthz} on a connection closed after it. */
    static byte[] healthz(int port) {
        return ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Heap in use after collections have had their chance to run, in bytes. */
    static long settledHeapBytes() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
