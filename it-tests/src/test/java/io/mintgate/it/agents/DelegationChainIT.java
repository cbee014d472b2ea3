package io.mintgate.it.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A delegation chain across token exchanges (realm {@code delegation.json}): alice's token from {@code portal} is
 * exchanged by {@code agent}, that token by {@code tool}, and that one by {@code deep}. The policy reads the chain
 * ({@code actor.depth}, {@code actor.prior}), writes what it saw into claims, nests every earlier actor in the
 * RFC 8693 {@code act} claim, and refuses the third hop.
 */
@MintgateIT
class DelegationChainIT {

    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        realm = RealmFixture.create(admin, "delegation.json");
        oidc = new OidcClient(keycloak, realm.name());
    }

    @AfterAll
    void tearDown() {
        realm.close();
    }

    @Test
    void eachHopSeesTheWholeChainAndTheThirdIsRefused() throws Exception {
        String user = success(oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-password")),
                client("portal"), null));
        assertThat(oidc.verify(user).getClaim("act")).as("no actor without an exchange").isNull();

        String byAgent = success(exchange(user, "agent"));
        JWTClaimsSet first = oidc.verify(byAgent);
        assertThat(first.getSubject()).isEqualTo(oidc.verify(user).getSubject());
        assertThat(first.getClaim("act")).isEqualTo(Map.of("sub", "agent", "client_id", "agent"));
        assertThat(first.getLongClaim("delegation_depth")).isEqualTo(1);
        assertThat(first.getStringListClaim("prior_actors")).isEmpty();

        String byTool = success(exchange(byAgent, "tool"));
        JWTClaimsSet second = oidc.verify(byTool);
        assertThat(second.getClaim("act")).isEqualTo(Map.of("sub", "tool", "client_id", "tool",
                "act", Map.of("sub", "agent", "client_id", "agent")));
        assertThat(second.getLongClaim("delegation_depth")).isEqualTo(2);
        assertThat(second.getStringListClaim("prior_actors")).isEqualTo(List.of("agent"));

        TokenResponse third = exchange(byTool, "deep");
        assertThat(third.indicatesSuccess()).isFalse();
        assertThat(third.toErrorResponse().getErrorObject().getCode()).isEqualTo("access_denied");
        assertThat(third.toErrorResponse().getErrorObject().getDescription()).contains("(reason: delegation_too_deep,");
    }

    private TokenResponse exchange(String subjectToken, String requester) {
        TokenExchangeGrant grant = new TokenExchangeGrant(new BearerAccessToken(subjectToken), TokenTypeURI.ACCESS_TOKEN,
                null, null, null, null);
        return oidc.token(grant, client(requester), null);
    }

    private static String success(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toJSONObject().toString())
                .isTrue();
        return response.toSuccessResponse().getTokens().getAccessToken().getValue();
    }

    private static ClientSecretBasic client(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }
}
