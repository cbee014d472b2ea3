package io.mintgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

import io.mintgate.audit.record.DecisionDetailKeys;
import io.mintgate.authorizer.keycloak.context.NhiAttributes;
import io.mintgate.authorizer.keycloak.handoff.DecisionDetails;
import org.junit.jupiter.api.Test;

/**
 * The event details the authorizer writes and the keys the audit listener reads from them are the same set: the two
 * modules do not depend on each other, so only the bundle, which holds both, can check that they agree.
 */
class DecisionDetailKeysAgreeTest {

    @Test
    void everyDetailTheAuthorizerWritesIsOneTheAuditListenerReadsAndNoMore() throws Exception {
        Set<String> written = keys(DecisionDetails.class);
        written.addAll(keys(NhiAttributes.class));
        assertThat(written).isEqualTo(keys(DecisionDetailKeys.class)).isNotEmpty();
    }

    /** The class's public String constants that name an event detail ({@code mintgate_...}). */
    private static Set<String> keys(Class<?> type) throws IllegalAccessException {
        Set<String> keys = new TreeSet<>();
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers()) && f.getType() == String.class) {
                String value = (String) f.get(null);
                if (value != null && value.startsWith("mintgate_")) {
                    keys.add(value);
                }
            }
        }
        return keys;
    }
}
