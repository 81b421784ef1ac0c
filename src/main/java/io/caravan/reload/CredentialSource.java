package io.caravan.reload;

import io.caravan.config.ConfigurationException;
import io.caravan.config.CredentialsConfig;
import io.caravan.config.CredentialsFile;
import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import io.caravan.pool.CredentialSpec;
import io.caravan.pool.ModelRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The credentials the pool holds, built the same way at start and on every reload: the credentials file's, then
 * those of the conventional environment variables ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}, {@code GEMINI_API_KEY} or else {@code GOOGLE_API_KEY}) unless the
 * file names a credential as they would be named, then those the gateway added at start and keeps as they are (the
 * built-in demo's).
 */
public final class CredentialSource {

    /** Public endpoints used when credentials come from the conventional environment variables. */
    public static final String OPENAI_PUBLIC_URL = "https://api.openai.com/v1";
    public static final String ANTHROPIC_PUBLIC_URL = "https://api.anthropic.com";
    public static final String GEMINI_PUBLIC_URL = "https://generativelanguage.googleapis.com";
    /** The providers' own model families, so that each environment key only gets names its provider knows. */
    public static final List<String> OPENAI_MODELS = List.of("gpt-*", "chatgpt-*", "o1*", "o3*", "o4*", "codex-*",
            "text-embedding-3-*", "text-embedding-ada-*");
    public static final List<String> ANTHROPIC_MODELS = List.of("claude-*");
    /** Gemini's chat models and Google's embedding models ({@code text-embedding-004}, {@code gemini-embedding-001}). */
    public static final List<String> GEMINI_MODELS = List.of("gemini-*", "gemma-*", "text-embedding-*");

    private final PropertiesComponent properties;
    private final Function<String, String> environment;
    private final List<CredentialSpec> kept;

    public CredentialSource(PropertiesComponent properties) {
        this(properties, System::getenv, List.of());
    }

    private CredentialSource(PropertiesComponent properties, Function<String, String> environment,
            List<CredentialSpec> kept) {
        this.properties = properties;
        this.environment = environment;
        this.kept = List.copyOf(kept);
    }

    /** The same source, with credentials the gateway added at start appended to every list it builds. */
    public CredentialSource keeping(List<CredentialSpec> added) {
        List<CredentialSpec> all = new ArrayList<>(kept);
        all.addAll(added);
        return new CredentialSource(properties, environment, all);
    }

    /**
     * Every credential, from the file as read (a file that does not exist holds none), with the file's rules.
     *
     * @throws ConfigurationException naming the file, the line and the problem (never a key)
     */
    public CredentialsConfig config(ConfigFileVersion file) {
        CredentialsConfig fromFile = file.present()
                ? CredentialsFile.parse(file.path().toString(), file.text(), properties) : CredentialsConfig.EMPTY;
        List<CredentialSpec> specs = new ArrayList<>(fromFile.credentials());
        addFromEnvironment(specs, "OPENAI_API_KEY", "env-openai", Dialects.OPENAI, OPENAI_PUBLIC_URL, OPENAI_MODELS);
        addFromEnvironment(specs, "ANTHROPIC_API_KEY", "env-anthropic", Dialects.ANTHROPIC, ANTHROPIC_PUBLIC_URL,
                ANTHROPIC_MODELS);
        // Google's SDKs read GOOGLE_API_KEY when GEMINI_API_KEY is not set; one credential either way.
        addFromEnvironment(specs, "GEMINI_API_KEY", "env-gemini", Dialects.GEMINI, GEMINI_PUBLIC_URL, GEMINI_MODELS);
        addFromEnvironment(specs, "GOOGLE_API_KEY", "env-gemini", Dialects.GEMINI, GEMINI_PUBLIC_URL, GEMINI_MODELS);
        for (CredentialSpec spec : kept) {
            if (specs.stream().anyMatch(s -> s.name().equals(spec.name()))) {
                throw new ConfigurationException(file.path() + ": the credential name '" + spec.name()
                        + "' is the gateway's own (" + spec.kind().id() + "); choose another");
            }
            specs.add(spec);
        }
        return fromFile.withCredentials(specs);
    }

    private void addFromEnvironment(List<CredentialSpec> specs, String variable, String name, Dialect kind,
            String baseUrl, List<String> models) {
        String key = environment.apply(variable);
        if (key != null && !key.isBlank() && specs.stream().noneMatch(s -> s.name().equals(name))) {
            // The providers' public endpoints serve every API of their kind (api.openai.com: Responses too).
            specs.add(new CredentialSpec(name, kind, baseUrl, key.trim(),
                    models.stream().map(ModelRule::exactOrWildcard).toList(), CredentialsFile.DEFAULT_MAX_CONCURRENT,
                    true, Set.copyOf(Dialects.apisOf(kind))));
        }
    }
}
