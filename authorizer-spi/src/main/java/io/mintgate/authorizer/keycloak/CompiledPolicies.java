package io.mintgate.authorizer.keycloak;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;

/**
 * Compiles each distinct policy text once. Keycloak re-binds executor configuration per request, so without this
 * every token request would re-compile its CEL. Bounded: a realm edits policies rarely, and an overflow only costs
 * one re-compilation.
 */
final class CompiledPolicies {

    private static final int MAX_ENTRIES = 512;
    private static final Map<String, PolicySet> BY_SOURCE = new ConcurrentHashMap<>();

    private CompiledPolicies() {
    }

    static PolicySet get(String source) throws PolicyValidationException {
        String key = source == null ? "" : source;
        PolicySet cached = BY_SOURCE.get(key);
        if (cached != null) {
            return cached;
        }
        PolicySet compiled = key.isBlank() ? PolicySet.EMPTY : PolicyCompiler.compile(key);
        if (BY_SOURCE.size() >= MAX_ENTRIES) {
            BY_SOURCE.clear();
        }
        BY_SOURCE.put(key, compiled);
        return compiled;
    }
}
