package io.mintgate.it.grants;

import static io.mintgate.it.grants.GrantAssertions.assertMinted;
import static io.mintgate.it.grants.GrantAssertions.assertRefused;
import static io.mintgate.it.harness.CredentialOffers.PRE_AUTHORIZED_CODE_GRANT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditTrail;
import io.mintgate.it.harness.CredentialOffers;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.StoredEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OID4VCI pre-authorized code grant end to end: a user logged in through an OID4VCI-enabled client asks Keycloak's
 * {@code create-credential-offer} endpoint for a pre-authorized offer (for themself, or, holding
 * {@code credential-offer-create}, for another user); the wallet fetches the offer by its nonce and redeems its code at
 * the token endpoint without client authentication. Keycloak fires no client-policy event on this grant: Mintgate
 * decides in its token post-processor, for the offer's client and target user. The realm's policy only matches this
 * grant type, so the logins that create the offers are not affected by it; its holder rule also matches on the
 * credential's scope, so the refusal of an unapproved holder shows that {@code grant.scopes} holds it on this path.
 */
@MintgateIT
class PreAuthorizedCodeGrantIT {

    private static final String CREDENTIAL = "employee-credential";
    private static final Pattern DECISION = Pattern.compile("decision: ([0-9a-f-]{36})\\)$");

    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;
    private CredentialOffers offers;
    private StoredEvents stored;

    @BeforeAll
    void start(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        this.keycloak = keycloak;
        realm = RealmFixture.create(admin, "vci-preauth.json");
        oidc = new OidcClient(keycloak, realm.name());
        offers = new CredentialOffers(oidc);
        stored = new StoredEvents(admin, realm.name());
        stored.enable(List.of("jboss-logging", "mintgate-audit"), List.of("VERIFIABLE_CREDENTIAL_PRE_AUTHORIZED_GRANT",
                "VERIFIABLE_CREDENTIAL_PRE_AUTHORIZED_GRANT_ERROR"));
        for (String username : new String[] {"alice", "bob", "mallory"}) {
            grantVerifiableCredential(username);
        }
    }

    @AfterAll
    void stop() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    @CoversGrant(value = PRE_AUTHORIZED_CODE_GRANT, outcome = CoversGrant.Outcome.ALLOW)
    void preAuthorizedCodeOfAnApprovedHolderIsRedeemedForACredentialEndpointToken() {
        String code = offers.preAuthorizedCode(login("wallet-issuer", "alice"), CREDENTIAL, null);

        JWTClaimsSet claims = assertMinted(oidc, offers.redeem(code));
        assertThat(claims.getSubject()).isEqualTo(admin.userId(realm.name(), "alice"));
        assertThat(claims.getClaim("azp")).isEqualTo("wallet-issuer");
        assertThat(claims.getClaim("scope")).isEqualTo(CREDENTIAL);
        assertThat(claims.getAudience()).containsExactly(oidc.realmUri() + "/protocol/oid4vc/credential");

        // The realm saves these events: the stored one carries the decision that the audit record names.
        String jti = claims.getJWTID();
        String decisionId = new AuditTrail(keycloak).await("for the token " + jti,
                r -> jti.equals(r.at("/data/tokenId").asText())).at("/data/decision/id").asText();
        JsonNode event = stored.await("VERIFIABLE_CREDENTIAL_PRE_AUTHORIZED_GRANT", "with decision " + decisionId,
                e -> decisionId.equals(e.at("/details/mintgate_decision_id").asText()));
        assertThat(event.at("/details/mintgate_outcome").asText()).isEqualTo("allow");
    }

    @Test
    @CoversGrant(value = PRE_AUTHORIZED_CODE_GRANT, outcome = CoversGrant.Outcome.DENY)
    void preAuthorizedCodeOfAnUnapprovedHolderIsRefusedAndTheRefusalIsAudited() {
        String code = offers.preAuthorizedCode(login("wallet-issuer", "bob"), CREDENTIAL, null);

        ErrorObject error = assertRefused(offers.redeem(code), "holder_not_approved");
        assertThat(error.getDescription()).startsWith("this holder is not approved for credential issuance");
        String decisionId = decisionId(error);

        // Keycloak sends no event of its own when a token post-processor refuses; Mintgate's is the only trace.
        String bobId = admin.userId(realm.name(), "bob");
        JsonNode record = new AuditTrail(keycloak).await("for decision " + decisionId,
                r -> realm.name().equals(r.at("/data/realm").asText()) && decisionId.equals(r.at("/data/decision/id").asText()));
        assertThat(record.at("/type").asText()).endsWith("denied");
        assertThat(record.at("/data/subject").asText()).isEqualTo(bobId);
        assertThat(record.at("/data/clientId").asText()).isEqualTo("wallet-issuer");
        assertThat(record.at("/data/grantType").asText()).isEqualTo(PRE_AUTHORIZED_CODE_GRANT);
        assertThat(record.at("/data/keycloakEventType").asText()).isEqualTo("VERIFIABLE_CREDENTIAL_PRE_AUTHORIZED_GRANT_ERROR");
        assertThat(record.at("/data/error").asText()).isEqualTo("access_denied");
        assertThat(record.at("/data/decision/reason").asText()).isEqualTo("holder_not_approved");
        assertThat(record.at("/data/decision/rule").asText()).isEqualTo("credential-holders-must-be-approved");

        // The realm saves these events: Mintgate's refusal event is stored with the decision.
        JsonNode event = stored.await("VERIFIABLE_CREDENTIAL_PRE_AUTHORIZED_GRANT_ERROR", "with decision " + decisionId,
                e -> decisionId.equals(e.at("/details/mintgate_decision_id").asText()));
        assertThat(event.path("userId").asText()).isEqualTo(bobId);
        assertThat(event.at("/details/mintgate_outcome").asText()).isEqualTo("deny");
        assertThat(event.at("/details/mintgate_rule").asText()).isEqualTo("credential-holders-must-be-approved");
        assertThat(event.at("/details/mintgate_reason").asText()).isEqualTo("holder_not_approved");
    }

    @Test
    void offerCreatedByAnApprovedUserForAFlaggedUserIsDecidedForTheFlaggedUser() {
        // subject is the offer's target user, not the user who created the offer
        String code = offers.preAuthorizedCode(login("wallet-issuer", "alice"), CREDENTIAL, "mallory");

        assertRefused(offers.redeem(code), "subject_flagged");
    }

    @Test
    void preAuthorizedCodeOfferedThroughAFlaggedClientIsRefused() {
        // client is the client through which the offer was created; the wallet does not authenticate
        String code = offers.preAuthorizedCode(login("wallet-issuer-flagged", "alice"), CREDENTIAL, null);

        assertRefused(offers.redeem(code), "client_flagged");
    }

    @Test
    void aRefusedPreAuthorizedCodeIsSpentAndCannotBeRetried() {
        String code = offers.preAuthorizedCode(login("wallet-issuer", "bob"), CREDENTIAL, null);
        assertRefused(offers.redeem(code), "holder_not_approved");

        TokenResponse retry = offers.redeem(code);
        assertThat(retry.indicatesSuccess()).isFalse();
        assertThat(retry.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    // helpers

    /** What an admin does to let a user be issued a credential: Keycloak offers a credential only to its holders. */
    private void grantVerifiableCredential(String username) {
        String userId = admin.userId(realm.name(), username);
        AdminApi.Response response = admin.post(realm.path() + "/users/" + userId + "/vc/credentials",
                Map.of("credentialScopeName", CREDENTIAL));
        assertThat(response.status()).as("grant %s to %s: %s", CREDENTIAL, username, response.body()).isBetween(200, 201);
    }

    /** The user's access token from a password login through {@code clientId} (Mintgate's rules do not match it). */
    private String login(String clientId, String username) {
        TokenResponse response = oidc.token(new ResourceOwnerPasswordCredentialsGrant(username, new Secret(username + "-password")),
                new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret")), "openid");
        assertThat(response.indicatesSuccess()).as("login of %s through %s", username, clientId).isTrue();
        return response.toSuccessResponse().getTokens().getAccessToken().getValue();
    }

    private static String decisionId(ErrorObject error) {
        Matcher matcher = DECISION.matcher(error.getDescription());
        assertThat(matcher.find()).as("decision id in %s", error.getDescription()).isTrue();
        return matcher.group(1);
    }
}
