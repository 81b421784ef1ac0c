package io.caravan.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.caravan.dialects.Dialects;
import io.caravan.pool.CooldownPolicy;
import io.caravan.pool.Credential;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.CredentialSpec;
import io.caravan.pool.ModelRule;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The headers of an upstream request as the policy decides them from the call's parts, no server involved. */
class UpstreamHeaderPolicyTest {

    private static final CooldownPolicy COOLDOWNS = new CooldownPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(1));

    private final CredentialPool pool = new CredentialPool(List.of(
            new CredentialSpec("anthropic", Dialects.ANTHROPIC, "https://anthropic.example", "sk-ant-key",
                    List.of(ModelRule.exactOrWildcard("*")), 4, true),
            new CredentialSpec("openai", Dialects.OPENAI, "https://openai.example", "sk-oai-key",
                    List.of(ModelRule.exactOrWildcard("*")), 4, true)), COOLDOWNS, 4);
    private final Credential anthropic = pool.credential("anthropic");
    private final Credential openAi = pool.credential("openai");

    @Test
    void onlyTheNamesTheCallersDialectRelaysAreTakenFromItsRequest() {
        MultiMap sent = MultiMap.caseInsensitiveMultiMap()
                .add("anthropic-version", "2023-06-01")
                .add("anthropic-beta", "a").add("anthropic-beta", "b")
                .add("openai-organization", "org-of-the-caller")
                .add("x-forwarded-host", "evil.example");

        Map<String, List<String>> relayed = UpstreamHeaderPolicy.callerHeadersToRelay(Dialects.ANTHROPIC, sent::getAll);

        assertEquals(Map.of("anthropic-version", List.of("2023-06-01"), "anthropic-beta", List.of("a", "b")), relayed);
        assertEquals(Map.of(), UpstreamHeaderPolicy.callerHeadersToRelay(Dialects.OPENAI, sent::getAll));
    }

    @Test
    void aCallersProtocolHeaderReplacesTheCredentialsDefaultWhenBothSpeakItsDialect() {
        MultiMap headers = UpstreamHeaderPolicy.headers(Map.of(), Dialects.ANTHROPIC,
                Map.of("anthropic-version", List.of("2099-01-01")), anthropic, true, 42);

        assertEquals(List.of("2099-01-01"), headers.getAll("anthropic-version"));
        assertEquals("sk-ant-key", headers.get("x-api-key"));
        assertEquals("text/event-stream", headers.get("accept"));
        assertEquals("42", headers.get("content-length"));
    }

    @Test
    void aTranslatedRequestCarriesNoneOfTheCallersHeaders() {
        MultiMap headers = UpstreamHeaderPolicy.headers(Map.of(), Dialects.ANTHROPIC,
                Map.of("anthropic-version", List.of("2099-01-01")), openAi, false, 2);

        assertNull(headers.get("anthropic-version"));
        assertEquals("Bearer sk-oai-key", headers.get("authorization"));
        assertEquals("application/json", headers.get("accept"));
    }

    @Test
    void aHookMayAddAHeaderButNeverReplaceTheCredentialOrTheFraming() {
        MultiMap headers = UpstreamHeaderPolicy.headers(Map.of(
                "x-team", "search", "Authorization", "Bearer stolen", "content-length", "1", "Proxy-Authorization", "x",
                "x-split", "a\r\nInjected: yes"), Dialects.OPENAI, Map.of(), openAi, false, 7);

        assertEquals("search", headers.get("x-team"));
        assertEquals("Bearer sk-oai-key", headers.get("authorization"));
        assertEquals("7", headers.get("content-length"));
        assertFalse(headers.contains("proxy-authorization"));
        assertFalse(headers.contains("x-split"));
    }
}
