package io.caravan.dialects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Operation;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialect.Translator;
import io.caravan.dialect.Translators;
import io.caravan.relay.PassthroughStream;
import io.caravan.testing.ShippedSettings;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the gateway assumes of every registered dialect plug-in, checked for each: a new dialect is held to the same
 * contract the moment its registration line is added.
 */
class DialectContractTest {

    static List<Dialect> dialects() {
        return Dialects.all();
    }

    /** The dialects a credential can be of: the ones with an upstream side. */
    static List<Dialect> credentialKinds() {
        return Dialects.all().stream().filter(Dialect::servesCredentials).toList();
    }

    /** The dialects that are another API of a provider: never a kind, served natively by that kind or translated. */
    static List<Dialect> callerOnly() {
        return Dialects.all().stream().filter(d -> !d.servesCredentials()).toList();
    }

    @Test
    void idsRouteIdsAndPathsAreUniqueAcrossTheRegistry() {
        Set<String> ids = new HashSet<>();
        Set<String> routeIds = new HashSet<>();
        Set<String> paths = new HashSet<>();
        for (Dialect dialect : Dialects.all()) {
            assertTrue(ids.add(dialect.id()), dialect.id());
            for (Endpoint endpoint : dialect.endpoints()) {
                assertTrue(routeIds.add(endpoint.routeId()), endpoint.routeId());
                assertTrue(paths.add(endpoint.path()), endpoint.path());
            }
        }
    }

    @Test
    void kindsAreFoundByIdInAnyCaseAndAnUnknownKindNamesTheKnownOnes() {
        for (Dialect dialect : credentialKinds()) {
            assertSame(dialect, Dialects.fromId(dialect.id().toUpperCase(java.util.Locale.ROOT)));
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Dialects.fromId("cobol"));
        for (Dialect dialect : credentialKinds()) {
            assertTrue(unknown.getMessage().contains(dialect.id()), unknown.getMessage());
        }
    }

    /**
     * Another API of a provider is no kind: {@code kind: responses} is refused and the refusal does not offer it;
     * it is listed in {@code apis:} of its provider's kind instead, which offers it, and nothing translates towards it.
     */
    @ParameterizedTest
    @MethodSource("callerOnly")
    void anotherApiOfAProviderIsNoKindButAnApiOfItsProvidersKind(Dialect dialect) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Dialects.fromId(dialect.id()));
        String offered = refused.getMessage().substring(refused.getMessage().indexOf("one of: ") + "one of: ".length());
        assertFalse(List.of(offered.replace(")", "").split(", ")).contains(dialect.id()), refused.getMessage());
        Dialect kind = dialect.credentialKind();
        assertTrue(kind.servesCredentials(), kind.id());
        assertSame(dialect, Dialects.api(kind, dialect.apiName()));
        assertTrue(Dialects.apiNames(kind).contains(dialect.apiName()));
        assertEquals(kind.apiName(), Dialects.apiNames(kind).get(0), "a kind's own API comes first");
        for (Dialect caller : Dialects.all()) {
            if (caller != dialect) {
                assertNull(Translators.between(caller, dialect, ShippedSettings.translation()),
                        "nothing translates towards " + dialect.id());
            }
        }
    }

    /** Every kind serves its own API under its own name, and no two APIs of a kind share a name. */
    @ParameterizedTest
    @MethodSource("credentialKinds")
    void aKindServesItsOwnApi(Dialect kind) {
        assertSame(kind, Dialects.api(kind, kind.apiName()));
        List<String> names = Dialects.apiNames(kind);
        assertEquals(names.size(), Set.copyOf(names).size(), names.toString());
    }

    /** The credential pool keeps one cache per set of kinds, indexed by a bit mask of these positions. */
    @Test
    void everyDialectHasItsOwnSmallIndex() {
        Set<Integer> seen = new HashSet<>();
        for (Dialect dialect : Dialects.all()) {
            int index = Dialects.index(dialect);
            assertTrue(index >= 0 && index < 16 && seen.add(index), dialect.id() + " at " + index);
        }
    }

    @Test
    void aBareRequestIsAnthropicOnItsPathsOrWithItsVersionHeaderAndOpenAiOtherwise() {
        Map<String, String> none = Map.of();
        assertSame(Dialects.ANTHROPIC, Dialects.of("/v1/messages/count_tokens", none::get));
        assertSame(Dialects.ANTHROPIC, Dialects.of("/v2/nothing", Map.of("anthropic-version", "2023-06-01")::get));
        assertSame(Dialects.OPENAI, Dialects.of("/v1/nothing", none::get));
        assertSame(Dialects.RESPONSES, Dialects.of("/v1/responses/resp_1", none::get));
        assertSame(Dialects.OPENAI, Dialects.of("/v1/responsesx", none::get));
        assertSame(Dialects.OPENAI, Dialects.of(null, none::get));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void everyEndpointBelongsToTheDialectThatListsIt(Dialect dialect) {
        assertFalse(dialect.endpoints().isEmpty());
        for (Endpoint endpoint : dialect.endpoints()) {
            assertSame(dialect, endpoint.dialect());
            assertTrue(endpoint.path().startsWith("/"), endpoint.path());
            for (Dialect kind : credentialKinds()) {
                if (kind == dialect || endpoint.operation().translatable()) {
                    assertTrue(endpoint.upstreamPath(kind, "m", false).startsWith("/"), endpoint.upstreamPath(kind, "m", false));
                }
            }
        }
    }

    /** The gateway tells a relayable API error by a top-level {@code error}, and an in-band one by SseEvent.isError. */
    @ParameterizedTest
    @MethodSource("dialects")
    void errorBodiesCarryAnErrorObjectAndStreamErrorsAreRecognisedAsErrors(Dialect dialect) {
        ObjectNode body = dialect.errorBody(429, "Slow down", "rate_limit_exceeded", "req_1");
        assertEquals("Slow down", body.path("error").path("message").asText(), body.toString());

        SseEvent inBand = DialectErrors.streamEvent(dialect, 502, "Broke off", "req_1");
        assertTrue(inBand.isError(), inBand.toString());
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void aPassedThroughStreamThatEndsWithNothingEndsInError(Dialect dialect) {
        List<SseEvent> end = new PassthroughStream(dialect, "req_1").onEnd();

        assertEquals(1, end.size());
        assertTrue(end.get(0).isError(), end.toString());
    }

    @ParameterizedTest
    @MethodSource("credentialKinds")
    void aLoginPageIsNoAnswerOfAnyOperation(Dialect dialect) {
        for (Endpoint endpoint : dialect.endpoints()) {
            assertFalse(dialect.answerShape(endpoint.operation()).matches(Buffer.buffer("<html>login</html>")));
            assertFalse(dialect.answerShape(endpoint.operation()).matches(Buffer.buffer("{}")));
        }
        assertFalse(dialect.streamEventShape().matches("{}"));
    }

    @ParameterizedTest
    @MethodSource("credentialKinds")
    void theCredentialHeadersCarryTheKey(Dialect dialect) {
        Map<String, String> headers = new HashMap<>();
        dialect.addCredentialHeaders("sk-test-key", headers::put);

        assertTrue(headers.values().stream().anyMatch(v -> v.contains("sk-test-key")), headers.toString());
    }

    /**
     * Either a dialect is the common model (no translators) or it has both halves, each between itself and the
     * common model, and so every pair of registered dialects translates; another API of a provider has only the caller
     * half.
     */
    @ParameterizedTest
    @MethodSource("dialects")
    void aDialectTranslatesToAndFromTheCommonModelOrIsIt(Dialect dialect) {
        Translator callerHalf = dialect.callerTranslator(ShippedSettings.translation());
        Translator upstreamHalf = dialect.upstreamTranslator(ShippedSettings.translation());
        if (dialect == Dialects.OPENAI) {
            assertNull(callerHalf);
            assertNull(upstreamHalf);
            return;
        }
        assertSame(dialect, callerHalf.caller());
        assertSame(Dialects.OPENAI, callerHalf.upstream());
        if (!dialect.servesCredentials()) {
            assertNull(upstreamHalf);
            return;
        }
        assertSame(Dialects.OPENAI, upstreamHalf.caller());
        assertSame(dialect, upstreamHalf.upstream());
    }
}
