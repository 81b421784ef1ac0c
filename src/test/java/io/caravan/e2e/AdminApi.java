package io.caravan.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The admin API of a test gateway over loopback, with a given admin key (or none). */
final class AdminApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String key;

    AdminApi(TestGateway gateway, String key) {
        this.baseUrl = gateway.baseUrl();
        this.key = key;
    }

    /** An answer's status and body, read as JSON when it is. */
    record Answer(int status, String text) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (java.io.IOException notJson) {
                throw new AssertionError("not JSON: " + text, notJson);
            }
        }
    }

    Answer get(String path) throws Exception {
        return send(builder(path).GET());
    }

    Answer post(String path) throws Exception {
        return send(builder(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * The one usage row ({@code group_by=client,model,credential}) of {@code client}'s one request, waiting up to ten
     * seconds for the recorder to write it.
     */
    JsonNode awaitSingleUsageRow(String client) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode rows;
        do {
            Answer usage = get("/admin/v1/usage?client=" + client + "&group_by=client,model,credential");
            if (usage.status() != 200) {
                throw new AssertionError("GET /admin/v1/usage answered " + usage.status() + ": " + usage.text());
            }
            rows = usage.json().get("data");
            if (rows.size() == 1 && rows.get(0).get("requests").asInt() == 1) {
                return rows.get(0);
            }
            Thread.sleep(25);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no single usage row for " + client + ": " + rows);
    }

    /** {@code GET /admin/v1/credentials}, answered 200, the credential of that name; fails when it is not listed. */
    JsonNode credential(String name) throws Exception {
        Answer answer = get("/admin/v1/credentials");
        if (answer.status() != 200) {
            throw new AssertionError("GET /admin/v1/credentials: " + answer);
        }
        for (JsonNode credential : answer.json().get("credentials")) {
            if (credential.get("name").asText().equals(name)) {
                return credential;
            }
        }
        throw new AssertionError("no credential " + name + " in " + answer.text());
    }

    /** The credential's listing, or {@code null} when it is not listed. */
    JsonNode listed(String name) throws Exception {
        for (JsonNode credential : get("/admin/v1/credentials").json().get("credentials")) {
            if (credential.get("name").asText().equals(name)) {
                return credential;
            }
        }
        return null;
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("authorization", "Bearer " + key);
        }
        return b;
    }

    private static Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }
}
