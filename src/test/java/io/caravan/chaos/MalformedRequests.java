package io.caravan.chaos;

import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import io.caravan.e2e.TestGateway;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Generates malformed requests from a seeded {@link Random}: bad JSON, wrong types, odd headers, unknown methods and
 * paths, bad encodings and broken HTTP framing. Each comes with what a caller may expect back: the dialect its error
 * must be in, and whether the request is broken at the HTTP level (where closing the connection is an acceptable
 * answer, and the caller's dialect may be unknowable).
 */
final class MalformedRequests {

    /** One generated request. {@code probe} is a value the request carries that no answer may ever reflect. */
    record Case(int index, String family, String description, byte[] bytes, Dialect dialect, boolean framing,
            String probe) {

        String describe() {
            return "#" + index + " " + family + ": " + description + " — request "
                    + RawExchange.abbreviate(new String(bytes, 0, Math.min(bytes.length, 400), StandardCharsets.ISO_8859_1), 400);
        }
    }

    /** The value of every {@code upstream-*} header a caller sends: no upstream may ever see it. */
    static final String INJECTED = "caller-injected";
    private static final String OPENAI = ChaosCalls.OPENAI_CHAT;
    private static final String MESSAGES = ChaosCalls.MESSAGES;
    private static final List<String> FAMILIES = List.of("bad-json", "wrong-types", "odd-headers", "methods-paths",
            "encodings", "framing");

    private final Random random;
    private final int port;
    private final String openAiModel;
    private final String anthropicModel;

    MalformedRequests(long seed, int port, String openAiModel, String anthropicModel) {
        this.random = new Random(seed);
        this.port = port;
        this.openAiModel = openAiModel;
        this.anthropicModel = anthropicModel;
    }

    Case next(int index) {
        String family = FAMILIES.get(random.nextInt(FAMILIES.size()));
        boolean anthropic = random.nextBoolean();
        String probe = "probe" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        Builder b = new Builder(anthropic, probe);
        return switch (family) {
            case "bad-json" -> badJson(index, b);
            case "wrong-types" -> wrongTypes(index, b);
            case "odd-headers" -> oddHeaders(index, b);
            case "methods-paths" -> methodsAndPaths(index, b);
            case "encodings" -> encodings(index, b);
            default -> framing(index, b);
        };
    }

    // ---- families -----------------------------------------------------------------------------------------

    private Case badJson(int index, Builder b) {
        String valid = b.validBody();
        String body;
        String what;
        switch (random.nextInt(13)) {
            case 0 -> {
                body = valid.substring(0, random.nextInt(valid.length()));
                what = "a valid body truncated";
            }
            case 1 -> {
                body = printable(1 + random.nextInt(300));
                what = "printable garbage";
            }
            case 2 -> {
                return b.build(index, "bad-json", "random bytes", b.post(randomBytes(1 + random.nextInt(500))));
            }
            case 3 -> {
                body = "[".repeat(500 + random.nextInt(60_000));
                what = "arrays nested tens of thousands deep";
            }
            case 4 -> {
                body = "{\"a\":".repeat(500 + random.nextInt(20_000));
                what = "objects nested thousands deep";
            }
            case 5 -> {
                body = "";
                what = "an empty body";
            }
            case 6 -> {
                body = pick("null", "true", "123", "\"just a string\"", "[]", "[{}]", "{}", "0", "-");
                what = "a JSON value that is not a request object";
            }
            case 7 -> {
                body = "{\"model\":\"" + b.model() + "\",\"model\":{\"x\":1}," + valid.substring(1);
                what = "duplicate keys";
            }
            case 8 -> {
                body = valid.substring(0, valid.length() - 1) + ",\"temperature\":" + pick("NaN", "Infinity", "-Infinity",
                        "1e999999", "123456789012345678901234567890123456789", "0x10", "01") + "}";
                what = "non-standard numbers";
            }
            case 9 -> {
                body = "/* comment */" + valid + "// trailing";
                what = "comments";
            }
            case 10 -> {
                body = valid.substring(0, valid.length() - 1) + ",\"x\":\"\\u12\"}";
                what = "a broken escape";
            }
            case 11 -> {
                body = valid.substring(0, valid.length() - 1) + ",}";
                what = "a trailing comma";
            }
            default -> {
                body = valid + valid;
                what = "two objects back to back";
            }
        }
        return b.build(index, "bad-json", what, b.post(utf8(body)));
    }

    private Case wrongTypes(int index, Builder b) {
        String field;
        String value;
        switch (random.nextInt(9)) {
            case 0 -> {
                field = "model";
                value = pick("123", "[]", "{}", "null", "true", "\"\"", "\"" + "m".repeat(5_000) + "\"", "\"\\u0000\"",
                        "\"gpt\\r\\nforged: line\"", "\"no-such-model\"");
            }
            case 1 -> {
                field = "messages";
                value = pick("\"hi\"", "{}", "1", "null", "[1,2]", "[{\"role\":5}]", "[{\"role\":\"user\",\"content\":5}]",
                        "[{\"role\":\"user\"}]", "[]", "[{\"role\":\"wizard\",\"content\":\"x\"}]", "[null]",
                        "[{\"role\":\"user\",\"content\":[{\"type\":\"nope\"}]}]",
                        "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:x\"}}]}]");
            }
            case 2 -> {
                field = "stream";
                value = pick("\"yes\"", "1", "null", "{}", "[]", "\"true\"", "0");
            }
            case 3 -> {
                field = "max_tokens";
                value = pick("\"ten\"", "-1", "1e20", "null", "0", "[]", "3.5");
            }
            case 4 -> {
                field = "stream_options";
                value = pick("\"x\"", "{\"include_usage\":\"yes\"}", "[]", "null");
            }
            case 5 -> {
                field = "temperature";
                value = pick("\"hot\"", "99", "-5", "{}");
            }
            case 6 -> {
                field = "tools";
                value = pick("\"x\"", "[1]", "[{\"type\":\"function\"}]", "{}", "[{\"name\":5}]");
            }
            case 7 -> {
                field = "system";
                value = pick("5", "[5]", "{}", "[{\"type\":\"text\"}]");
            }
            default -> {
                field = "metadata";
                value = pick("5", "\"x\"", "{\"user_id\":[]}");
            }
        }
        String body = b.bodyWith(field, value, random.nextBoolean());
        return b.build(index, "wrong-types", field + "=" + RawExchange.abbreviate(value, 60), b.post(utf8(body)));
    }

    private Case oddHeaders(int index, Builder b) {
        byte[] body = utf8(b.validBody());
        switch (random.nextInt(16)) {
            case 0 -> {
                b.header("X-Junk", printable(8_000 + random.nextInt(60_000)));
                return b.buildFraming(index, "odd-headers", "a header value of tens of KB", b.post(body));
            }
            case 1 -> {
                for (int i = 0; i < 150 + random.nextInt(300); i++) {
                    b.header("X-Many-" + i, "v" + i);
                }
                return b.buildFraming(index, "odd-headers", "hundreds of headers", b.post(body));
            }
            case 2 -> {
                b.rawHeaderLine(latin1("X-Latin: caf\u00e9 \u00ff\u00fe"));
                return b.buildFraming(index, "odd-headers", "non-ASCII bytes in a header value", b.post(body));
            }
            case 3 -> {
                b.rawHeaderLine(latin1("X-Control: a\u0001b\u007fc"));
                return b.buildFraming(index, "odd-headers", "control characters in a header value", b.post(body));
            }
            case 4 -> {
                b.rawHeaderLine(latin1("this line has no colon"));
                return b.buildFraming(index, "odd-headers", "a header line without a colon", b.post(body));
            }
            case 5 -> {
                b.rawHeaderLine(latin1("Bad Header: x"));
                return b.buildFraming(index, "odd-headers", "a space in a header name", b.post(body));
            }
            case 6 -> {
                b.rawHeaderLine(latin1("X-Fold: first\r\n  continued"));
                return b.buildFraming(index, "odd-headers", "an obs-fold continuation line", b.post(body));
            }
            case 7 -> {
                b.contentType = pick("text/plain", "application/json; charset=utf-16", "multipart/form-data; boundary=x",
                        "application/x-www-form-urlencoded", "", "application/json;;;", "*/*");
                return b.build(index, "odd-headers", "content-type " + b.contentType, b.post(body));
            }
            case 8 -> {
                b.authorization = pick("Bearer " + "k".repeat(10_000), "Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "",
                        "Bearer " + TestGateway.CLIENT_KEY + " extra", "bearer " + TestGateway.CLIENT_KEY + "x");
                return b.build(index, "odd-headers", "authorization " + RawExchange.abbreviate(b.authorization, 40),
                        b.post(body));
            }
            case 9 -> {
                b.header("Authorization", "Bearer sk-second-key");
                return b.build(index, "odd-headers", "two authorization headers", b.post(body));
            }
            case 10 -> {
                b.anthropicVersion = pick("garbage", "", "2023-06-01, 2023-01-01", "9999-99-99", "\u00e9");
                return b.build(index, "odd-headers", "anthropic-version " + b.anthropicVersion, b.post(body));
            }
            case 11 -> {
                b.header("Expect", pick("100-continue", "garbage-expectation"));
                return b.build(index, "odd-headers", "an Expect header", b.post(body));
            }
            case 12 -> {
                b.header("Upgrade", pick("h2c", "websocket", "TLS/1.2"));
                b.header("Connection", "Upgrade, HTTP2-Settings");
                return b.build(index, "odd-headers", "an upgrade request", b.post(body));
            }
            case 13 -> {
                b.host = pick("", "a b", "[::1", "127.0.0.1:99999", "h".repeat(3_000));
                return b.buildFraming(index, "odd-headers", "host " + RawExchange.abbreviate(b.host, 40), b.post(body));
            }
            case 14 -> {
                b.header("Host", "second.example");
                return b.buildFraming(index, "odd-headers", "two Host headers", b.post(body));
            }
            default -> {
                String name = pick("upstream-Authorization", "upstream-x-api-key", "upstream-Host",
                        "upstream-OpenAI-Organization", "anthropic-beta", "openai-beta", "X-Forwarded-For", "Accept");
                String value = name.startsWith("upstream-") ? "Bearer " + INJECTED + "-" + b.probe
                        : pick("x".repeat(2_000), "\"quoted\"", "", "tools-2024-04-04");
                b.header(name, value);
                return b.build(index, "odd-headers", "an odd header forwarded or hooked", b.post(body));
            }
        }
    }

    private Case methodsAndPaths(int index, Builder b) {
        String method = pick("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "FOO", "post",
                "POST", "POST");
        String path = pick(OPENAI, MESSAGES, "/", "/v1", "/v1/", OPENAI + "/", OPENAI + "/extra", "/" + MESSAGES,
                MESSAGES + "?x=%zz", "/v1/../v1/messages", "/%2e%2e/%2e%2e/etc/passwd", "/v1/chat%2Fcompletions",
                MESSAGES + "%00", "/" + "a".repeat(2_000 + random.nextInt(20_000)), "*", "http://127.0.0.1" + MESSAGES,
                "/v1/models?limit=" + printable(20).replace(' ', '+'), "/v1/messages/count_tokens", "/healthz", "/v1/embeddings",
                MESSAGES + "#fragment", "/v1/m\u00e9ssages", OPENAI + "?" + "q=1&".repeat(500));
        b.method = method;
        b.path = path;
        if (path.startsWith(OPENAI) || path.equals("/v1/embeddings")) {
            // OpenAI's paths with an anthropic-version header are ambiguous; keep each request in one dialect.
            b.anthropicVersion = null;
        }
        boolean framing = path.equals("*") || path.contains("\u00e9") || path.contains("#");
        byte[] request = b.post(method.equals("GET") || method.equals("HEAD") ? new byte[0] : utf8(b.validBody()));
        String what = method + " " + RawExchange.abbreviate(path, 60);
        return framing ? b.buildFraming(index, "methods-paths", what, request)
                : b.build(index, "methods-paths", what, request);
    }

    private Case encodings(int index, Builder b) {
        String valid = b.validBody();
        String prompt = "\"content\":\"hi\"";
        int at = valid.indexOf(prompt) + "\"content\":\"".length();
        switch (random.nextInt(9)) {
            case 0 -> {
                byte[] invalid = pickBytes(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF},
                        new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
                byte[] body = ChaosCalls.concat(ChaosCalls.concat(utf8(valid.substring(0, at)), invalid),
                        utf8(valid.substring(at)));
                return b.build(index, "encodings", "invalid UTF-8 inside a string", b.post(body));
            }
            case 1 -> {
                boolean little = random.nextBoolean();
                byte[] bom = little ? new byte[] {(byte) 0xFF, (byte) 0xFE} : new byte[] {(byte) 0xFE, (byte) 0xFF};
                byte[] text = valid.getBytes(little ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
                return b.build(index, "encodings", "UTF-16 with a byte-order mark", b.post(ChaosCalls.concat(bom, text)));
            }
            case 2 -> {
                byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
                return b.build(index, "encodings", "a UTF-8 byte-order mark", b.post(ChaosCalls.concat(bom, utf8(valid))));
            }
            case 3 -> {
                b.header("Content-Encoding", pick("gzip", "deflate", "br", "x-unknown", "gzip, gzip", "identity"));
                byte[] garbage = random.nextBoolean() ? randomBytes(20 + random.nextInt(200))
                        : ChaosCalls.concat(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}, randomBytes(30));
                return b.build(index, "encodings", "content-encoding with garbage", b.post(garbage));
            }
            case 4 -> {
                b.contentType = "application/json; charset=iso-8859-1";
                byte[] body = (valid.substring(0, at) + "caf\u00e9" + valid.substring(at)).getBytes(StandardCharsets.ISO_8859_1);
                return b.build(index, "encodings", "latin-1 bytes", b.post(body));
            }
            case 5 -> {
                byte[] body = ChaosCalls.concat(ChaosCalls.concat(utf8(valid.substring(0, at)), new byte[] {0, 0, 0}),
                        utf8(valid.substring(at)));
                return b.build(index, "encodings", "raw NUL bytes in a string", b.post(body));
            }
            case 6 -> {
                String body = valid.substring(0, at) + "\\u0000\\ud800\\udfff\\uffff" + valid.substring(at);
                return b.build(index, "encodings", "escaped NUL and lone surrogates", b.post(utf8(body)));
            }
            case 7 -> {
                String body = valid.substring(0, at) + "\uD83D\uDE00 \u4E2D\u6587 \u202Eevil" + valid.substring(at);
                return b.build(index, "encodings", "emoji, CJK and bidi overrides", b.post(utf8(body)));
            }
            default -> {
                byte[] body = utf8(valid);
                for (int i = 0; i < 3; i++) {
                    body[random.nextInt(body.length)] = (byte) (0x80 + random.nextInt(0x80));
                }
                return b.build(index, "encodings", "random high bytes anywhere", b.post(body));
            }
        }
    }

    private Case framing(int index, Builder b) {
        byte[] body = utf8(b.validBody());
        String what;
        byte[] request;
        switch (random.nextInt(18)) {
            case 0 -> {
                b.header("Transfer-Encoding", "chunked");
                request = b.post(body, chunked(body));
                what = "content-length and transfer-encoding: chunked";
            }
            case 1 -> {
                b.header("Content-Length", Integer.toString(body.length));
                request = b.post(body);
                what = "the same content-length twice";
            }
            case 2 -> {
                b.header("Content-Length", Integer.toString(body.length + 5));
                request = b.post(body);
                what = "two different content-lengths";
            }
            case 3 -> {
                b.contentLength = pick("-1", "abc", "99999999999999999999", "+12", "0x10", "1 2", "");
                request = b.post(body);
                what = "content-length " + b.contentLength;
            }
            case 4 -> {
                // The body never comes in full: the body time-out must end the wait.
                b.contentLength = Integer.toString(body.length + 1 + random.nextInt(1_000));
                request = b.post(body);
                what = "a content-length longer than the body sent";
            }
            case 5 -> {
                b.contentLength = Integer.toString(Math.max(0, body.length - 1 - random.nextInt(10)));
                request = b.post(body);
                what = "a content-length shorter than the body (the rest looks like a next request)";
            }
            case 6 -> {
                b.contentLength = null;
                b.header("Transfer-Encoding", "chunked");
                String size = pick("zz", "-5", "ffffffffffffffffff", "1;ext=\"unterminated", " 5", "5 5");
                request = b.post(body, latin1(size + "\r\n" + new String(body, StandardCharsets.ISO_8859_1)
                        + "\r\n0\r\n\r\n"));
                what = "a bad chunk size " + size;
            }
            case 7 -> {
                b.contentLength = null;
                b.header("Transfer-Encoding", "chunked");
                byte[] chunked = chunked(body);
                request = b.post(body, java.util.Arrays.copyOf(chunked, chunked.length - 2 - random.nextInt(3)));
                what = "a chunked body without its final CRLF";
            }
            case 8 -> {
                b.contentLength = null;
                b.header("Transfer-Encoding", pick("gzip, chunked", "identity", "xchunked", "chunked, identity"));
                request = b.post(body, chunked(body));
                what = "an odd transfer-encoding";
            }
            case 9 -> {
                b.contentLength = null;
                b.header("Transfer-Encoding", "chunked");
                b.header("Transfer-Encoding", "chunked");
                request = b.post(body, chunked(body));
                what = "transfer-encoding twice";
            }
            case 10 -> {
                b.version = "HTTP/1.0";
                b.host = null;
                request = b.post(body);
                return b.build(index, "framing", "HTTP/1.0 without Host", request);
            }
            case 11 -> {
                b.host = null;
                request = b.post(body);
                what = "HTTP/1.1 without Host";
            }
            case 12 -> {
                b.version = pick("HTTP/2.0", "HTTP/9.9", "http/1.1", "HTTP/1.1 extra", "HTTP/1.", "HTTP/01.1");
                request = b.post(body);
                what = "request line version " + b.version;
            }
            case 13 -> {
                request = latin1(pick("POST " + MESSAGES + "\r\n\r\n", "POST  " + MESSAGES + "  HTTP/1.1\r\nHost: x\r\n\r\n",
                        "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "GET\t/healthz\tHTTP/1.1\r\nHost: x\r\n\r\n",
                        "POST /v1/mes\u0000sages HTTP/1.1\r\nHost: x\r\n\r\n", " \r\n", "GET /healthz HTTP/1.1\nHost: x\n\n"));
                what = "an odd request line";
            }
            case 14 -> {
                request = ChaosCalls.concat(b.post(body), latin1("GARBAGE / HTTP/1.1\r\n\r\n"));
                what = "a valid request, then a garbage pipelined one";
            }
            case 15 -> {
                request = pickBytes(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03},
                        latin1("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), randomBytes(64));
                what = "not HTTP/1 at all (TLS, HTTP/2 preface, noise)";
            }
            case 16 -> {
                b.lineEnd = "\n";
                request = b.post(body);
                what = "bare LF line endings";
            }
            default -> {
                b.contentLength = Integer.toString(body.length + 100_000_000);
                request = b.post(body);
                what = "a content-length of 100 MB (over the body limit)";
            }
        }
        return b.buildFraming(index, "framing", what, request);
    }

    // ---- building requests --------------------------------------------------------------------------------

    /** The parts of one request, each of which a family may break; {@link #post} assembles them. */
    private final class Builder {
        final boolean anthropic;
        final String probe;
        String method = "POST";
        String path;
        String version = "HTTP/1.1";
        String host = "127.0.0.1:" + port;
        String contentType = "application/json";
        String authorization;
        String anthropicVersion;
        String contentLength = "";
        String lineEnd = "\r\n";
        final ByteArrayOutputStream extra = new ByteArrayOutputStream();

        Builder(boolean anthropic, String probe) {
            this.anthropic = anthropic;
            this.probe = probe;
            this.path = anthropic ? MESSAGES : OPENAI;
            this.authorization = "Bearer " + TestGateway.CLIENT_KEY;
            this.anthropicVersion = anthropic ? "2023-06-01" : null;
        }

        String model() {
            return anthropic ? anthropicModel : openAiModel;
        }

        String validBody() {
            return bodyWith(null, null, random.nextBoolean());
        }

        String bodyWith(String field, String value, boolean stream) {
            StringBuilder sb = new StringBuilder("{");
            append(sb, "model", "\"" + model() + "\"", field, value);
            if (anthropic) {
                append(sb, "max_tokens", "32", field, value);
            }
            append(sb, "stream", Boolean.toString(stream), field, value);
            append(sb, "messages", "[{\"role\":\"user\",\"content\":\"hi\"}]", field, value);
            if (field != null && sb.indexOf("\"" + field + "\"") < 0) {
                sb.append(",\"").append(field).append("\":").append(value);
            }
            return sb.append('}').toString();
        }

        private void append(StringBuilder sb, String name, String normal, String field, String value) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(name).append("\":").append(name.equals(field) ? value : normal);
        }

        void header(String name, String value) {
            rawHeaderLine(latin1(name + ": " + value));
        }

        void rawHeaderLine(byte[] line) {
            extra.writeBytes(line);
            extra.writeBytes(latin1(lineEnd));
        }

        byte[] post(byte[] body) {
            return post(body, body);
        }

        /** The request with {@code wire} as the bytes after the head; content-length counts {@code body}. */
        byte[] post(byte[] body, byte[] wire) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String n = lineEnd;
            out.writeBytes(latin1(method + " " + path + " " + version + n));
            if (host != null) {
                out.writeBytes(latin1("Host: " + host + n));
            }
            if (contentType != null) {
                out.writeBytes(latin1("Content-Type: " + contentType + n));
            }
            if (authorization != null) {
                out.writeBytes(latin1("Authorization: " + authorization + n));
            }
            if (anthropicVersion != null) {
                out.writeBytes(latin1("anthropic-version: " + anthropicVersion + n));
            }
            out.writeBytes(latin1("X-Chaos-Probe: " + probe + n));
            if (contentLength != null && (body.length > 0 || !contentLength.isEmpty())) {
                out.writeBytes(latin1("Content-Length: " + (contentLength.isEmpty() ? body.length : contentLength) + n));
            }
            out.writeBytes(extra.toByteArray());
            out.writeBytes(latin1(n));
            out.writeBytes(wire);
            return out.toByteArray();
        }

        /**
         * The dialect the gateway must answer in, by its rule (RouterErrors): a path under {@code /v1/messages}, or an
         * {@code anthropic-version} header, means Anthropic; anything else OpenAI.
         */
        Dialect dialect() {
            String target = path.startsWith("http://127.0.0.1") ? path.substring("http://127.0.0.1".length()) : path;
            return target.startsWith(MESSAGES) || anthropicVersion != null ? Dialects.ANTHROPIC : Dialects.OPENAI;
        }

        /**
         * A request the gateway must answer in its caller's dialect; one whose request line or head is over the HTTP
         * codec's limits (4 KB, 8 KB) is refused by the codec itself and counts as broken framing.
         */
        Case build(int index, String family, String what, byte[] request) {
            String text = new String(request, StandardCharsets.ISO_8859_1);
            int head = text.indexOf("\r\n\r\n");
            boolean overLimits = text.indexOf("\r\n") > 4_000 || head < 0 || head > 7_000;
            return new Case(index, family, what, request, dialect(), overLimits, probe);
        }

        Case buildFraming(int index, String family, String what, byte[] request) {
            return new Case(index, family, what, request, dialect(), true, probe);
        }
    }

    private static byte[] chunked(byte[] body) {
        int half = body.length / 2;
        String first = Integer.toHexString(half) + "\r\n";
        String second = Integer.toHexString(body.length - half) + "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(latin1(first));
        out.write(body, 0, half);
        out.writeBytes(latin1("\r\n" + second));
        out.write(body, half, body.length - half);
        out.writeBytes(latin1("\r\n0\r\n\r\n"));
        return out.toByteArray();
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private byte[] pickBytes(byte[]... options) {
        return options[random.nextInt(options.length)];
    }

    private String printable(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) (0x20 + random.nextInt(0x5f)));
        }
        return sb.toString();
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
