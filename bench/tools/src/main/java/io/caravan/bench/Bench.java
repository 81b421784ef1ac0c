package io.caravan.bench;

import io.caravan.bench.load.LoadRunner;
import io.caravan.bench.sse.SseClient;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Endpoint;
import io.caravan.bench.target.FakeUpstream;
import io.caravan.bench.target.Gateway;
import io.caravan.bench.target.NginxProxy;
import io.caravan.bench.target.Route;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** What every scenario needs: the running endpoints, the load tools, the profile. */
public final class Bench {
    private final BenchOptions options;
    private final Profile profile;
    private final FakeUpstream upstream;
    private final NginxProxy nginx;
    private final Gateway gateway;
    private final LoadRunner load;
    private final SseClient sse;
    private final Set<Dialect> gatewayDialects = EnumSet.noneOf(Dialect.class);

    Bench(BenchOptions options, Profile profile, FakeUpstream upstream, NginxProxy nginx, Gateway gateway,
          LoadRunner load, SseClient sse) {
        this.options = options;
        this.profile = profile;
        this.upstream = upstream;
        this.nginx = nginx;
        this.gateway = gateway;
        this.load = load;
        this.sse = sse;
    }

    public BenchOptions options() {
        return options;
    }

    public Profile profile() {
        return profile;
    }

    public LoadRunner load() {
        return load;
    }

    public SseClient sse() {
        return sse;
    }

    public boolean hasGateway() {
        return gateway != null;
    }

    public Gateway gateway() {
        return gateway;
    }

    public long upstreamPid() {
        return upstream.pid();
    }

    /** Marks the gateway's same-dialect path for this dialect as answering (checked before the scenarios). */
    void markGatewayServes(Dialect dialect) {
        gatewayDialects.add(dialect);
    }

    public boolean gatewayServes(Dialect dialect) {
        return gateway != null && gatewayDialects.contains(dialect);
    }

    /** direct, nginx and (when it answers this dialect) the gateway, in that order. */
    public List<Endpoint> endpoints(Dialect dialect) {
        List<Endpoint> all = new ArrayList<>(List.of(upstream.endpoint(), nginx.endpoint()));
        if (gateway != null && gatewayDialects.contains(dialect)) {
            all.add(gateway.endpoint());
        }
        return all;
    }

    public Endpoint direct() {
        return upstream.endpoint();
    }

    /** The caller's dialect with the model whose credential speaks the same dialect. */
    public static Route sameDialect(Endpoint endpoint, Dialect dialect) {
        return new Route(endpoint, dialect, modelServedIn(dialect));
    }

    /** The caller's dialect with the model served only by the other dialect's credential. */
    public static Route translated(Endpoint endpoint, Dialect callerDialect) {
        return new Route(endpoint, callerDialect, modelServedIn(other(callerDialect)));
    }

    /** The other of {@link Dialect#CHAT_AND_MESSAGES}. */
    public static Dialect other(Dialect dialect) {
        return dialect == Dialect.OPENAI ? Dialect.ANTHROPIC : Dialect.OPENAI;
    }

    private static String modelServedIn(Dialect dialect) {
        return switch (dialect) {
            case OPENAI -> Gateway.OPENAI_MODEL;
            case ANTHROPIC -> Gateway.ANTHROPIC_MODEL;
            case RESPONSES -> Gateway.RESPONSES_MODEL;
            case GEMINI -> Gateway.GEMINI_MODEL;
        };
    }

    public static void log(String message) {
        System.out.println("[bench " + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] "
                + message);
        System.out.flush();
    }
}
