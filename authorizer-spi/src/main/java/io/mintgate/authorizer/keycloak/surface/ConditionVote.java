package io.mintgate.authorizer.keycloak.surface;

/**
 * What a client-policy condition would vote on a grant path of one client, judged from its configuration: Keycloak's
 * own votes (yes, no, abstain), plus {@link #DEPENDS} for a condition that reads the request itself.
 */
enum ConditionVote {
    YES, NO, ABSTAIN, DEPENDS;

    ConditionVote negatedIf(boolean negative) {
        if (!negative) {
            return this;
        }
        return this == YES ? NO : this == NO ? YES : this;
    }

    static ConditionVote of(boolean matches) {
        return matches ? YES : NO;
    }
}
