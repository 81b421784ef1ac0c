package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /ui} and its files over real HTTP: the page, its script and style, the charting library from its
 * WebJar, with their types, caching and security headers; and no path that leaves the two roots. Requests are
 * written on a plain socket, byte for byte, because HTTP clients normalize {@code ..} and escapes away before
 * sending.
 */
class DashboardAssetsEndToEndTest {

    private static final String ADMIN_KEY = "caravan-test-admin-key-0123456789";

    private static TestGateway gateway;

    /** One answer as it came off the wire: status, headers (names in lower case), body. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.builder().set("caravan.admin-keys", ADMIN_KEY).start();
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(gateway);
    }

    private static Answer get(String rawPath, String... headerLines) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] head = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(head[0].split(" ")[1]), headers, text.substring(end + 4));
        }
    }

    private static void assertSecurityHeaders(Answer answer) {
        assertEquals("nosniff", answer.header("x-content-type-options"));
        String policy = answer.header("content-security-policy");
        assertTrue(policy.contains("default-src 'none'"), policy);
        assertTrue(policy.contains("script-src 'self'"), policy);
        assertTrue(policy.contains("connect-src 'self'"), policy);
        assertTrue(policy.contains("frame-ancestors 'none'"), policy);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui", "/ui/", "/ui/index.html"})
    void thePageIsServedWithoutAKey(String path) throws Exception {
        Answer page = get(path);
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.header("content-type"));
        assertTrue(page.body().contains("<script src=\"/ui/app.js\""), page.body());
        assertTrue(page.body().contains("id=\"login-form\""), page.body());
        assertEquals("no-cache", page.header("cache-control"));
        assertSecurityHeaders(page);
    }

    @Test
    void theScriptStyleAndChartLibraryComeWithTheirTypes() throws Exception {
        Answer script = get("/ui/app.js");
        assertEquals(200, script.status());
        assertEquals("text/javascript; charset=utf-8", script.header("content-type"));
        assertTrue(script.body().contains("sessionStorage"));
        Answer style = get("/ui/app.css");
        assertEquals(200, style.status());
        assertEquals("text/css; charset=utf-8", style.header("content-type"));
        Answer library = get("/ui/lib/dist/chart.umd.js");
        assertEquals(200, library.status());
        assertEquals("text/javascript; charset=utf-8", library.header("content-type"));
        assertTrue(library.body().contains("Chart.js v4."), library.body().substring(0, 200));
        assertEquals("public, max-age=3600", library.header("cache-control"));
        assertSecurityHeaders(library);
    }

    @Test
    void aCurrentCopyIsAnswered304ByItsETag() throws Exception {
        Answer first = get("/ui/lib/dist/chart.umd.js");
        String etag = first.header("etag");
        assertTrue(etag != null && etag.startsWith("\""), String.valueOf(etag));
        Answer again = get("/ui/lib/dist/chart.umd.js", "If-None-Match: " + etag);
        assertEquals(304, again.status());
        assertEquals("", again.body());
        assertEquals(200, get("/ui/lib/dist/chart.umd.js", "If-None-Match: \"stale\"").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/ui/../caravan-defaults.properties",
        "/ui/lib/../../application.properties",
        "/ui/lib/../../../../../../etc/passwd",
        "/ui/lib/%2e%2e/%2e%2e/4.4.1/dist/chart.umd.js",
        "/ui/lib/dist%2Fchart.umd.js",
        "/ui/lib/dist%2fchart.umd.js",
        "/ui/%2e%2e%2fcaravan-defaults.properties",
        "/ui/lib/..%2f..%2fapp.js",
        "/ui//etc/passwd.js",
        "/ui/lib//dist/chart.umd.js",
        "/ui/lib/dist/./chart.umd.js",
        "/ui/lib/dist/chart.umd.js%00.js",
        "/ui/lib/dist\\chart.umd.js",
        "/ui/lib/package.json",
        "/ui/lib/README.md",
        "/ui/lib/dist",
        "/ui/lib/",
        "/ui/.hidden.js",
        "/ui/caravan-defaults.properties",
        "/ui/io/caravan/CaravanMain.class",
        "/ui/missing.js",
        "/uix",
        "/ui/lib/file:/etc/passwd.js",
        "/ui/lib/C:/Windows/win.ini.js",
    })
    void noPathLeavesTheUiFolderOrTheWebJar(String path) throws Exception {
        Answer answer = get(path);
        assertEquals(404, answer.status(), path + " -> " + answer.body());
        assertFalse(answer.body().contains("caravan."), answer.body());
        assertFalse(answer.body().contains("root:"), answer.body());
        assertFalse(answer.body().contains("Chart.js"), answer.body());
    }

    @Test
    void onlyGetIsAnswered() throws Exception {
        var post = new RawClient(gateway).post("/ui", "{}");
        assertEquals(405, post.statusCode(), post.body());
    }
}
