package io.mintgate.it.pdp;

import static io.mintgate.it.pdp.PdpAssertions.minted;
import static io.mintgate.it.pdp.PdpAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token issuance delegated to Keycloak 26.7.3's own AuthZEN PDP (feature {@code authzen}): the realm's resource
 * server {@code pdp-rs} holds the authorization-services model (resource {@code billing-api} of type {@code api},
 * scope {@code mint}, permitted by a role policy to holders of realm role {@code billing-minter}, which only
 * {@code agent-billing}'s service account has). Keycloak's PDP evaluates the permissions of the calling client
 * ({@code azp} of the bearer token) and accepts a {@code client} subject only for that client itself, so a
 * client's token request is mapped to its service-account user: {@code username:service-account-<clientId>}. Mintgate calls
 * {@code /realms/<realm>/authzen/access/v1/evaluation} with a bearer token it obtains for {@code pdp-rs} by the
 * client credentials grant, the client secret read from Keycloak's vault.
 */
@MintgateIT
class KeycloakAuthzenPdpIT {

    private static final String POLICY = """
            {"pdps": {"keycloak": {"url": "%s/authzen", "timeout": "PT2S", "cacheTtl": "PT1M",
                                   "auth": {"type": "client_credentials", "tokenUrl": "%s",
                                            "clientId": "pdp-rs", "clientSecret": "${vault.pdpsecret}"}}},
             "rules": [
               {"name": "mint-via-keycloak-pdp", "match": "client.clientId.startsWith('agent-')",
                "reason": "pdp_denied", "message": "The policy decision point refused this token.",
                "authzen": {"pdp": "keycloak",
                            "subject": {"type": "'user'", "id": "'username:service-account-' + client.clientId"},
                            "action": {"name": "'mint'"},
                            "resource": {"type": "'api'", "id": "'billing-api'"}}}
             ]}""";

    private RealmFixture realm;
    private OidcClient oidc;
    private Path vaultEntry;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) throws IOException {
        realm = RealmFixture.create(admin, "authzen-keycloak.json");
        oidc = new OidcClient(keycloak, realm.name());
        // ${vault.pdpsecret} of this realm, as Keycloak's plain-file vault names it
        vaultEntry = ServerOptions.vaultDir(Path.of(System.getProperty("it.work.dir", "target/it-work")))
                .resolve(realm.name().replace("_", "__") + "_pdpsecret");
        Files.writeString(vaultEntry, "pdp-rs-secret");
        PdpAssertions.installPolicy(admin, realm, POLICY.formatted(oidc.realmUri(), oidc.tokenEndpoint()));
    }

    @AfterAll
    void tearDown() throws IOException {
        if (realm != null) {
            realm.close();
        }
        if (vaultEntry != null) {
            Files.deleteIfExists(vaultEntry);
        }
    }

    @Test
    void keycloaksOwnPdpAnswersAuthzenForThisRealm() throws Exception {
        // The PDP under test, asked directly as Mintgate will ask it: it permits agent-billing and not agent-crm.
        TokenResponse pdpToken = oidc.clientCredentials("pdp-rs", "pdp-rs-secret", null);
        minted(oidc, pdpToken);
        String token = pdpToken.toSuccessResponse().getTokens().getAccessToken().getValue();
        assertThat(evaluate(token, "agent-billing")).contains("\"decision\":true");
        assertThat(evaluate(token, "agent-crm")).contains("\"decision\":false");
    }

    @Test
    void keycloaksPdpAllowsTheBillingAgentAndRefusesTheCrmAgent() throws Exception {
        JWTClaimsSet claims = minted(oidc, oidc.clientCredentials("agent-billing", "agent-billing-secret", null));
        assertThat(claims.getStringClaim("azp")).isEqualTo("agent-billing");

        TokenResponse crm = oidc.clientCredentials("agent-crm", "agent-crm-secret", null);
        refused(crm, "pdp_denied");
        assertThat(crm.toErrorResponse().getErrorObject().getDescription())
                .startsWith("The policy decision point refused this token.");
    }

    private String evaluate(String bearer, String client) throws IOException, InterruptedException {
        String body = "{\"subject\":{\"type\":\"user\",\"id\":\"username:service-account-" + client + "\"},\"action\":{\"name\":\"mint\"},"
                + "\"resource\":{\"type\":\"api\",\"id\":\"billing-api\"}}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(oidc.realmUri() + "/authzen/access/v1/evaluation"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("AuthZEN evaluation answered %s", response.body()).isEqualTo(200);
        return response.body();
    }
}
