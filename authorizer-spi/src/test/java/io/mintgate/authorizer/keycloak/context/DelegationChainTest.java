package io.mintgate.authorizer.keycloak.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import io.mintgate.authorizer.policy.ActorInfo;
import org.junit.jupiter.api.Test;

class DelegationChainTest {

    @Test
    void nestedActClaimsAreTheEarlierActorsNewestFirst() {
        Object act = Map.of("sub", "agent-sub", "client_id", "agent", "act", Map.of("sub", "orchestrator-sub"));
        assertThat(DelegationChain.of(act)).containsExactly(new ActorInfo.Prior("agent", "agent-sub"),
                new ActorInfo.Prior("", "orchestrator-sub"));
        assertThat(DelegationChain.of(null)).isEmpty();
    }

    @Test
    void anActThatIsNotAnObjectOrNestsWithoutEndIsRefused() {
        assertThatThrownBy(() -> DelegationChain.of("agent")).isInstanceOf(DelegationChain.Unreadable.class)
                .hasMessageContaining("not a JSON object");
        Map<String, Object> deep = new HashMap<>(Map.of("sub", "0"));
        for (int i = 1; i <= DelegationChain.MAX_DEPTH; i++) {
            deep = new HashMap<>(Map.of("sub", Integer.toString(i), "act", deep));
        }
        Object tooDeep = deep;
        assertThatThrownBy(() -> DelegationChain.of(tooDeep)).hasMessageContaining("more than 32");
    }
}
