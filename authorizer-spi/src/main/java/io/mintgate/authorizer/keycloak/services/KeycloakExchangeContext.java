package io.mintgate.authorizer.keycloak.services;

import io.mintgate.authorizer.keycloak.context.IssuanceRequests;
import io.mintgate.authorizer.policy.authzen.ExchangeContext;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.OAuth2Constants;
import org.keycloak.http.HttpRequest;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.models.KeycloakSession;

/**
 * The token exchange binding's advisory context (Draft 1, Section 4.5) from this token request's form: the
 * {@code subject_token_type} and {@code actor_token_type} parameters, and the {@code act} and {@code may_act}
 * claims of the subject token. A token exchange is decided in the post-processor, after Keycloak has verified the
 * subject token in the same request, so its payload is read back without checking the signature twice; only those
 * two claims leave it, never the token.
 */
final class KeycloakExchangeContext implements ExchangeContext {

    private final KeycloakSession session;

    KeycloakExchangeContext(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Map<String, Object> members() {
        MultivaluedMap<String, String> form = form();
        if (form == null) {
            return Map.of();
        }
        Map<String, Object> members = new LinkedHashMap<>(4);
        putIfPresent(members, "subject_token_type", IssuanceRequests.first(form, OAuth2Constants.SUBJECT_TOKEN_TYPE));
        putIfPresent(members, "actor_token_type", IssuanceRequests.first(form, OAuth2Constants.ACTOR_TOKEN_TYPE));
        String subjectToken = IssuanceRequests.first(form, OAuth2Constants.SUBJECT_TOKEN);
        if (!subjectToken.isEmpty()) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> claims = new JWSInput(subjectToken).readJsonContent(Map.class);
                for (String claim : new String[] {"act", "may_act"}) {
                    if (claims.get(claim) instanceof Map<?, ?> value) {
                        members.put(claim, value);
                    }
                }
            } catch (Exception e) {
                // Not a JWT (an opaque or SAML subject token): it has no act or may_act to convey.
            }
        }
        return members;
    }

    private MultivaluedMap<String, String> form() {
        try {
            HttpRequest request = session.getContext().getHttpRequest();
            return request == null ? null : request.getDecodedFormParameters();
        } catch (RuntimeException e) {
            return null; // not a form request (e.g. the simulator's admin call)
        }
    }

    private static void putIfPresent(Map<String, Object> members, String name, String value) {
        if (!value.isEmpty()) {
            members.put(name, value);
        }
    }
}
