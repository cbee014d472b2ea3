package io.mintgate.authorizer.keycloak.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientModel;

/** Which client the post-processor decides for (and names in the refusal event it sends). */
class RequestingClientTest {

    private final ClientModel app = client("app");
    private final ClientModel rs = client("rs");
    private final Map<String, ClientModel> realm = Map.of("app", app, "rs", rs);

    @Test
    void umaRequestingPartyTokenIsDecidedForTheClientWhoseTokenWasPresentedNotTheResourceServer() {
        // Keycloak builds the RPT in the resource server's client session; the RPT's azp is the requesting client.
        assertThat(IssuancePostProcessor.requestingClient(OAuth2Constants.UMA_GRANT_TYPE, "app", rs, realm::get))
                .isSameAs(app);
    }

    @Test
    void umaFallsBackToTheSessionClientWhenTheAzpIsAbsentOrUnknown() {
        assertThat(IssuancePostProcessor.requestingClient(OAuth2Constants.UMA_GRANT_TYPE, null, rs, realm::get))
                .isSameAs(rs);
        assertThat(IssuancePostProcessor.requestingClient(OAuth2Constants.UMA_GRANT_TYPE, "gone", rs, realm::get))
                .isSameAs(rs);
    }

    @Test
    void otherGrantPathsKeepTheClientSessionsClient() {
        assertThat(IssuancePostProcessor.requestingClient(OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE, "app", rs,
                realm::get)).isSameAs(rs);
        assertThat(IssuancePostProcessor.requestingClient(OAuth2Constants.JWT_AUTHORIZATION_GRANT, "rs", rs,
                realm::get)).isSameAs(rs);
    }

    /** A ClientModel that only knows its client id (all the method under test asks). */
    private static ClientModel client(String clientId) {
        return (ClientModel) Proxy.newProxyInstance(ClientModel.class.getClassLoader(), new Class<?>[] {ClientModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getClientId" -> clientId;
                    case "toString" -> "ClientModel(" + clientId + ")";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
