package io.mintgate.authorizer.keycloak.context;

import io.mintgate.authorizer.keycloak.IssuanceEventsConditionFactory;
import io.mintgate.authorizer.keycloak.clientpolicy.SharedConfiguration;
import io.mintgate.authorizer.keycloak.enforce.IssuanceAuthorizerExecutor;
import io.mintgate.authorizer.keycloak.policies.AuthorizerOnlyProfiles;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ClientPolicyConditionConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyVote;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProvider;

/**
 * YES on the events at which the issuance-authorizer decides, NO on the others — where Keycloak would otherwise
 * parse the realm's client profiles and set the executor up for nothing (on a client_credentials request that was
 * half of Keycloak's client-policy cost). NO only when that is safe ({@link AuthorizerOnlyProfiles}); else YES.
 */
public final class IssuanceEventsCondition implements ClientPolicyConditionProvider<ClientPolicyConditionConfigurationRepresentation>,
        SharedConfiguration {

    private final KeycloakSession session;

    public IssuanceEventsCondition(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void setupConfiguration(ClientPolicyConditionConfigurationRepresentation configuration) {
        // nothing to configure; negative logic is not offered (it would select exactly the events that mint nothing)
    }

    @Override
    public ClientPolicyVote applyPolicy(ClientPolicyContext context) {
        if (IssuanceAuthorizerExecutor.DECIDING_EVENTS.contains(context.getEvent())) {
            return ClientPolicyVote.YES;
        }
        RealmModel realm = session.getContext().getRealm();
        return realm != null && AuthorizerOnlyProfiles.holds(realm) ? ClientPolicyVote.NO : ClientPolicyVote.YES;
    }

    @Override
    public boolean isNegativeLogic() {
        return false;
    }

    @Override
    public String getProviderId() {
        return IssuanceEventsConditionFactory.PROVIDER_ID;
    }
}
