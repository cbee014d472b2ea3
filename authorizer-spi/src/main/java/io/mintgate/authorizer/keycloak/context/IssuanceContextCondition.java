package io.mintgate.authorizer.keycloak.context;

import io.mintgate.authorizer.keycloak.IssuanceContextConditionFactory;
import io.mintgate.authorizer.keycloak.policies.CompileOnce;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import io.mintgate.authorizer.policy.PolicyValidationException;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyVote;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProvider;

/**
 * Votes on every event. When the expression cannot be evaluated the vote is YES: the policy's executors then run and
 * decide (fail closed), rather than the policy silently not applying to this request.
 */
public final class IssuanceContextCondition implements ClientPolicyConditionProvider<IssuanceContextConfiguration> {

    private static final Logger LOG = Logger.getLogger(IssuanceContextCondition.class);

    private final KeycloakSession session;
    private IssuanceContextConfiguration configuration;

    public IssuanceContextCondition(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void setupConfiguration(IssuanceContextConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Class<IssuanceContextConfiguration> getConditionConfigurationClass() {
        return IssuanceContextConfiguration.class;
    }

    @Override
    public ClientPolicyVote applyPolicy(ClientPolicyContext context) {
        boolean holds;
        try {
            holds = CompileOnce.condition(configuration.getExpression())
                    .test(IssuanceRequests.forEvent(session, EventMints.atAnyEvent(session, context)));
        } catch (PolicyValidationException | PolicyEvaluationException e) {
            LOG.warnf("issuance-context condition could not be evaluated on %s; applying the policy: %s",
                    context.getEvent(), e.getMessage());
            // Inverted by Keycloak under negative logic: answer so that the policy applies either way.
            return isNegativeLogic() ? ClientPolicyVote.NO : ClientPolicyVote.YES;
        } catch (IssuanceRequests.InvalidAuthorizationDetails e) {
            // The policy applies, and its issuance-authorizer refuses the request with invalid_authorization_details.
            return isNegativeLogic() ? ClientPolicyVote.NO : ClientPolicyVote.YES;
        }
        // Keycloak inverts the vote of a condition whose isNegativeLogic() is true (DefaultClientPolicyManager), so
        // the vote here is the expression's plain value; inverting it here as well would cancel negative logic out.
        return holds ? ClientPolicyVote.YES : ClientPolicyVote.NO;
    }

    @Override
    public boolean isNegativeLogic() {
        return configuration != null && Boolean.TRUE.equals(configuration.isNegativeLogic());
    }

    @Override
    public String getProviderId() {
        return IssuanceContextConditionFactory.PROVIDER_ID;
    }
}
