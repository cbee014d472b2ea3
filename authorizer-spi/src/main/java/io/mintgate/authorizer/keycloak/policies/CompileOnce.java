package io.mintgate.authorizer.keycloak.policies;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.mintgate.authorizer.keycloak.context.IssuanceContextConfiguration;
import io.mintgate.authorizer.policy.CompiledPredicate;
import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;

/**
 * Compiles each distinct policy text or condition expression once. Keycloak re-binds executor and condition
 * configuration on every client-policy event, so without this every token request would re-compile its CEL.
 * Bounded: a realm edits policies rarely, and an overflow only costs re-compilation.
 */
public final class CompileOnce {

    private static final int MAX_ENTRIES = 512;
    private static final Map<String, PolicySet> POLICIES = new ConcurrentHashMap<>();
    private static final Map<String, CompiledPredicate> CONDITIONS = new ConcurrentHashMap<>();

    private CompileOnce() {
    }

    public static PolicySet policy(String source) throws PolicyValidationException {
        String key = source == null ? "" : source;
        PolicySet cached = POLICIES.get(key);
        return cached != null ? cached
                : remember(POLICIES, key, key.isBlank() ? PolicySet.EMPTY : PolicyCompiler.compile(key));
    }

    public static CompiledPredicate condition(String expression) throws PolicyValidationException {
        String key = expression == null || expression.isBlank() ? "true" : expression;
        CompiledPredicate cached = CONDITIONS.get(key);
        return cached != null ? cached
                : remember(CONDITIONS, key, PolicyCompiler.compilePredicate(IssuanceContextConfiguration.EXPRESSION, key));
    }

    private static <T> T remember(Map<String, T> cache, String key, T compiled) {
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key, compiled);
        return compiled;
    }
}
