package io.caravan.service;

import io.caravan.exchange.CallerHeaders;
import io.caravan.exchange.RequestIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The dashboard's files, {@code GET /ui} and below: the page, its script and style from the jar's {@code ui/} folder,
 * and the charting library from its WebJar under {@code /ui/lib/} (the WebJar's own root, so
 * {@code /ui/lib/dist/chart.umd.js}). The files hold no data, so they need no key: the page asks for the admin key
 * and sends it with each call to the admin API.
 *
 * <p>Only a path of plain segments (letters, digits, {@code _ - .}, not starting with a dot) ending in a known
 * extension is looked up, and only under those two roots: {@code ..}, percent-escapes (an encoded slash or dot),
 * empty segments and anything else are a 404 without a look at the class path. The raw path is checked, not the
 * one the router normalized, so {@code /ui/lib/../../x} is refused rather than resolved.
 */
public final class DashboardAssets {

    /** Where the dashboard is served. */
    public static final String PATH = "/ui";
    /** The WebJar holding the charting library, as Maven names it. */
    public static final String LIBRARY_GROUP = "org.webjars.npm";
    public static final String LIBRARY_ARTIFACT = "chart.js";

    private static final String LIBRARY_PATH = PATH + "/lib/";
    private static final String PAGE_ROOT = "ui/";
    private static final String INDEX = "index.html";
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "map", "application/json; charset=utf-8");
    /** The page may load its own files and call its own origin, nothing else; it may not be framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";
    /** The page's own files change with the jar: always revalidated (cheaply, by ETag). */
    private static final String PAGE_CACHING = "no-cache";
    /** The library changes only with its version, but its path does not name it: an hour, then revalidated. */
    private static final String LIBRARY_CACHING = "public, max-age=3600";

    private record Asset(byte[] body, String contentType, String etag, String caching) {
    }

    private final ClassLoader classPath;
    private final String libraryRoot;
    /** The files found so far; bounded by what the two roots hold (misses are not kept). */
    private final Map<String, Asset> found = new ConcurrentHashMap<>();

    /** @throws IllegalStateException when the charting library's WebJar is not on the class path */
    public DashboardAssets() {
        this(DashboardAssets.class.getClassLoader());
    }

    DashboardAssets(ClassLoader classPath) {
        this.classPath = classPath;
        this.libraryRoot = webJarRoot(classPath, LIBRARY_GROUP, LIBRARY_ARTIFACT);
    }

    /** {@code META-INF/resources/webjars/<artifact>/<version>/}, the version read from the WebJar's own Maven data. */
    static String webJarRoot(ClassLoader classPath, String group, String artifact) {
        String properties = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = classPath.getResourceAsStream(properties)) {
            if (in == null) {
                throw new IllegalStateException("The dashboard's WebJar " + group + ":" + artifact
                        + " is not on the class path");
            }
            Properties maven = new Properties();
            maven.load(in);
            String version = maven.getProperty("version");
            if (version == null || !SAFE_PATH.matcher(version).matches()) {
                throw new IllegalStateException("The WebJar " + group + ":" + artifact + " names no usable version");
            }
            return "META-INF/resources/webjars/" + artifact + "/" + version + "/";
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** {@code GET /ui...}: the file, 304 when the caller's copy is current, else 404. */
    public void serve(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        HttpServerRequest request = http.getRequest();
        HttpServerResponse response = http.getResponse();
        String requestId = RequestIds.next();
        Optional<Asset> asset = resourceName(request.path()).flatMap(this::asset);
        if (asset.isEmpty()) {
            securityHeaders(response);
            JsonAnswers.error(response, requestId, 404, "No such dashboard file", null);
            return;
        }
        Asset file = asset.get();
        securityHeaders(response);
        response.putHeader(CallerHeaders.REQUEST_ID, requestId)
                .putHeader("Cache-Control", file.caching())
                .putHeader("ETag", file.etag());
        if (file.etag().equals(request.getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
            return;
        }
        response.setStatusCode(200).putHeader("Content-Type", file.contentType()).end(Buffer.buffer(file.body()));
    }

    private static void securityHeaders(HttpServerResponse response) {
        response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer");
    }

    /**
     * The class-path name of the file a raw request path names, or empty when it names none that may be served.
     * {@code /ui} and {@code /ui/} are the page.
     */
    Optional<String> resourceName(String rawPath) {
        if (rawPath == null) {
            return Optional.empty();
        }
        if (rawPath.equals(PATH) || rawPath.equals(PATH + "/")) {
            return Optional.of(PAGE_ROOT + INDEX);
        }
        String root;
        String relative;
        if (rawPath.startsWith(LIBRARY_PATH)) {
            root = libraryRoot;
            relative = rawPath.substring(LIBRARY_PATH.length());
        } else if (rawPath.startsWith(PATH + "/")) {
            root = PAGE_ROOT;
            relative = rawPath.substring(PATH.length() + 1);
        } else {
            return Optional.empty();
        }
        if (!SAFE_PATH.matcher(relative).matches() || contentType(relative) == null) {
            return Optional.empty();
        }
        return Optional.of(root + relative);
    }

    private static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        return dot > slash + 1 ? CONTENT_TYPES.get(name.substring(dot + 1)) : null;
    }

    private Optional<Asset> asset(String resource) {
        Asset known = found.get(resource);
        if (known != null) {
            return Optional.of(known);
        }
        byte[] body;
        try (InputStream in = classPath.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            body = in.readAllBytes();
        } catch (IOException unreadable) {
            return Optional.empty();
        }
        String caching = resource.startsWith(libraryRoot) ? LIBRARY_CACHING : PAGE_CACHING;
        Asset asset = new Asset(body, contentType(resource), etag(body), caching);
        found.putIfAbsent(resource, asset);
        return Optional.of(asset);
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is part of every JDK", impossible);
        }
    }
}
