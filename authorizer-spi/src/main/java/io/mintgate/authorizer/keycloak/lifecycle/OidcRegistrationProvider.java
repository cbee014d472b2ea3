package io.mintgate.authorizer.keycloak.lifecycle;

import java.io.IOException;
import java.util.List;

import io.mintgate.authorizer.keycloak.enforce.Sneaky;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.oidc.OIDCClientRepresentation;
import org.keycloak.services.clientregistration.AbstractClientRegistrationProvider;
import org.keycloak.services.clientregistration.ClientRegistrationAuth;
import org.keycloak.services.clientregistration.oidc.OIDCClientRegistrationProvider;
import org.keycloak.services.clientregistration.oidc.OIDCClientRegistrationProviderFactory;
import org.keycloak.util.JsonSerialization;

/**
 * Keycloak's openid-connect registration endpoint ({@code /realms/{realm}/clients-registrations/openid-connect}),
 * reading the body itself first. Keycloak binds the body to its metadata class, so a member it does not know ends the
 * request before any provider sees it, with "Unrecognized field" and no word of where such data belongs. A Mintgate
 * attribute is answered here instead, as RFC 7591 section 3.2.2 asks: 400 {@code invalid_client_metadata} naming each
 * member and where to register it, with the CLIENT_REGISTER_ERROR / CLIENT_UPDATE_ERROR event. Everything else is
 * Keycloak's provider, called as Keycloak calls it.
 */
public final class OidcRegistrationProvider extends AbstractClientRegistrationProvider {

    private final OIDCClientRegistrationProvider keycloak;

    OidcRegistrationProvider(KeycloakSession session) {
        super(session);
        this.keycloak = new OIDCClientRegistrationProvider(session);
    }

    @Override
    public void setEvent(EventBuilder event) {
        super.setEvent(event);
        keycloak.setEvent(event);
    }

    /** Keycloak's provider gets the authorization Keycloak would have built for it (registration policies see it). */
    @Override
    public void setAuth(ClientRegistrationAuth auth) {
        super.setAuth(auth);
        keycloak.setAuth(new ClientRegistrationAuth(session, keycloak, event, OIDCClientRegistrationProviderFactory.ID));
    }

    @OPTIONS
    public Response preflight() {
        return keycloak.preflight();
    }

    @OPTIONS
    @Path("{clientId}")
    public Response preflightClient() {
        return keycloak.preflightClient();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createOIDC(String body) {
        return keycloak.createOIDC(metadata(body, false, null));
    }

    @GET
    @Path("{clientId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response getOIDC(@PathParam("clientId") String clientId) {
        return keycloak.getOIDC(clientId);
    }

    @PUT
    @Path("{clientId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response updateOIDC(@PathParam("clientId") String clientId, String body) {
        return keycloak.updateOIDC(clientId, metadata(body, true, clientId));
    }

    @DELETE
    @Path("{clientId}")
    public Response deleteOIDC(@PathParam("clientId") String clientId) {
        return keycloak.deleteOIDC(clientId);
    }

    /**
     * The metadata as Keycloak would have bound it; a body Keycloak cannot bind fails with the same Jackson exception,
     * which Keycloak's exception mappers answer as before (bound from the text, not the tree, so that an unknown
     * member's line and column are still named).
     */
    private OIDCClientRepresentation metadata(String body, boolean update, String clientId) {
        String text = body == null ? "" : body;
        try {
            List<Violation> mintgate = RegistrationMetadata.mintgateMembers(JsonSerialization.mapper.readTree(text));
            if (!mintgate.isEmpty()) {
                String description = String.join("; ", mintgate.stream().map(Violation::description).toList());
                throw Refusals.forRegistration(session, update, clientId, description);
            }
            return JsonSerialization.mapper.readValue(text, OIDCClientRepresentation.class);
        } catch (IOException unreadable) {
            throw Sneaky.rethrow(unreadable);
        }
    }

    /** Rethrows the checked Jackson exception unchanged, so that Keycloak's error handler sees what it always saw. */
    private static final class Sneaky {
        @SuppressWarnings("unchecked")
        static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
            throw (T) t;
        }
    }
}
