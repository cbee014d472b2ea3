package io.mintgate.authorizer.keycloak;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.mintgate.authorizer.policy.CompiledPredicate;
import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicyValidationException;

/** Compiles each distinct condition expression once (Keycloak re-binds condition configuration per request). */
final class CompiledConditions {

    private static final int MAX_ENTRIES = 512;
    private static final Map<String, CompiledPredicate> BY_SOURCE = new ConcurrentHashMap<>();

    private CompiledConditions() {
    }

    static CompiledPredicate get(String expression) throws PolicyValidationException {
        String key = expression == null || expression.isBlank() ? "true" : expression;
        CompiledPredicate cached = BY_SOURCE.get(key);
        if (cached != null) {
            return cached;
        }
        CompiledPredicate compiled = PolicyCompiler.compilePredicate(IssuanceContextConfiguration.EXPRESSION, key);
        if (BY_SOURCE.size() >= MAX_ENTRIES) {
            BY_SOURCE.clear();
        }
        BY_SOURCE.put(key, compiled);
        return compiled;
    }
}
