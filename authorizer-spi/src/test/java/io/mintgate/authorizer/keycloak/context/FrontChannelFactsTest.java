package io.mintgate.authorizer.keycloak.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintgate.authorizer.policy.cel.ContextVariable;
import io.mintgate.authorizer.policy.cel.ContextVariables;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The facts a front-channel event knows are named as policies read them: a context variable, or one of its fields. */
class FrontChannelFactsTest {

    @Test
    void everyFrontChannelFactIsADeclaredVariableOrOneOfItsFields() {
        for (Set<String> facts : Set.of(FrontChannel.BROWSER_FACTS, FrontChannel.CLIENT_CALL_FACTS)) {
            assertThat(facts).allMatch(FrontChannelFactsTest::declared);
        }
    }

    private static boolean declared(String fact) {
        int dot = fact.indexOf('.');
        String name = dot < 0 ? fact : fact.substring(0, dot);
        for (ContextVariable variable : ContextVariables.STANDARD.variables()) {
            if (variable.name().equals(name)) {
                return dot < 0 || variable instanceof ContextVariable.Struct<?> s
                        && s.shape().fields().containsKey(fact.substring(dot + 1));
            }
        }
        return false;
    }
}
