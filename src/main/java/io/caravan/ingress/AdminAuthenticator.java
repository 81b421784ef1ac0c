package io.caravan.ingress;

import io.caravan.clients.ClientKeys;
import io.vertx.core.http.HttpServerRequest;
import java.security.MessageDigest;
import java.util.List;

/**
 * Checks the admin keys ({@code caravan.admin-keys}), which are not client keys: a client key never opens the admin
 * API, and an admin key makes no model request. With none configured the admin API is off. The few admin keys are
 * compared as SHA-256 digests, every one of them each time, so that neither timing nor length tells which matched.
 */
public final class AdminAuthenticator {

    private final List<byte[]> keyDigests;

    public AdminAuthenticator(List<String> adminKeys) {
        this.keyDigests = adminKeys.stream().map(String::trim).filter(key -> !key.isEmpty())
                .map(ClientKeys::sha256).toList();
    }

    /** Whether the admin API is there at all. */
    public boolean enabled() {
        return !keyDigests.isEmpty();
    }

    public boolean authenticated(HttpServerRequest request) {
        String presented = ClientAuthenticator.presentedKey(request::getHeader);
        if (presented == null || keyDigests.isEmpty()) {
            return false;
        }
        byte[] digest = ClientKeys.sha256(presented);
        boolean matched = false;
        for (byte[] key : keyDigests) {
            matched |= MessageDigest.isEqual(key, digest);
        }
        return matched;
    }
}
