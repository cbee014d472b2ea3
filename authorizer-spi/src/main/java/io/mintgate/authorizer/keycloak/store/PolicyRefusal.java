package io.mintgate.authorizer.keycloak.store;

import java.util.regex.Pattern;

import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelValidationException;

/**
 * A stored policy that fails validation, thrown as the exception the saving endpoint answers with 400 and the
 * problems. Keycloak has no one such exception: the components endpoint answers a ComponentValidationException (and
 * no model exception) with {@code {"errorMessage": ...}}, while the realm import ({@code POST /admin/realms}) answers
 * only a ModelException with a 400 of that shape — a ComponentValidationException there becomes 500 unknown_error.
 * Keycloak's own import throws a model exception for invalid input (an unknown client scope); so do we, there and
 * wherever no request is being served (start-up import).
 */
final class PolicyRefusal {

    static final String PREFIX = "Invalid issuance policy: ";

    /** The realm import endpoint, the only admin endpoint besides the components one that saves components. */
    private static final Pattern REALM_IMPORT = Pattern.compile("/?admin/realms/?");

    private PolicyRefusal() {
    }

    static RuntimeException of(KeycloakSession session, String problems) {
        String path = requestPath(session);
        if (path == null || REALM_IMPORT.matcher(path).matches()) {
            return new ModelValidationException(PREFIX + problems);
        }
        return new ComponentValidationException(PREFIX + "{0}", problems);
    }

    private static String requestPath(KeycloakSession session) {
        try {
            return session.getContext().getHttpRequest() == null ? null : session.getContext().getUri().getPath();
        } catch (RuntimeException noRequest) {
            return null;
        }
    }
}
