package io.mintgate.authorizer.keycloak.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.keycloak.handoff.FakeRequestSession;
import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import io.mintgate.authorizer.policy.AuthorizationDetailLimits;
import io.mintgate.authorizer.policy.AuthorizationDetails;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Obligations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AuthorizationDetailsJSONRepresentation;
import org.keycloak.util.JsonSerialization;

class GrantedAuthorizationDetailsTest {

    /** Each test's request; its transaction ends after the test, so no ledger stays on the test thread. */
    private final FakeRequestSession request = new FakeRequestSession();

    @AfterEach
    void endTheRequest() {
        request.commit();
    }

    private static final String CELLS = """
            [{"type": "payment_initiation", "actions": ["initiate", "cancel"],
              "instructedAmount": {"currency": "EUR", "amount": "12.00"}},
             {"type": "account_information", "actions": ["read_balances"]}]""";

    private static IssuanceRequest request(String parameter) {
        return new IssuanceRequest("acme", null, "CLIENT_LOGIN", new Grant("client_credentials", List.of(), List.of(),
                List.of(), "", parameter == null ? List.of() : AuthorizationDetails.parse(parameter)),
                null, null, null, null, null, null, null);
    }

    private static Obligations keep(List<String> types, List<String> actions) {
        return Obligations.builder().authorizationDetails(AuthorizationDetailLimits.of(types, actions, null)).build();
    }

    private static Object json(List<AuthorizationDetailsJSONRepresentation> cells) {
        return JsonSerialization.mapper.convertValue(cells, List.class);
    }

    @Test
    void aRequestWithoutTheParameterLeavesTheTokenAloneAndOpensNoLedger() {
        AccessToken token = new AccessToken();

        assertThat(GrantedAuthorizationDetails.apply(request.session, request(null), keep(List.of("x"), null), token,
                null, null)).isEmpty();
        assertThat(token.getAuthorizationDetails()).isNull();
        assertThat(RequestLedger.ifOpen(request.session)).isNull();
    }

    @Test
    void theRequestedCellsAreGrantedNarrowedAndASecondAllowNarrowsWhatTheFirstLeft() {
        AccessToken token = new AccessToken();

        String first = GrantedAuthorizationDetails.apply(request.session, request(CELLS), Obligations.NONE, token, null, null);
        assertThat(first).isEmpty();
        assertThat(json(token.getAuthorizationDetails())).isEqualTo(AuthorizationDetails.parse(CELLS));
        assertThat(RequestLedger.of(request.session).grantedAuthorizationDetails()).isEqualTo(AuthorizationDetails.parse(CELLS));

        String second = GrantedAuthorizationDetails.apply(request.session, request(CELLS),
                keep(List.of("payment_initiation", "account_information"), List.of("initiate", "status")), token, null, null);
        List<Map<String, Object>> expected = List.of(Map.of("type", "payment_initiation", "actions", List.of("initiate"),
                "instructedAmount", Map.of("currency", "EUR", "amount", "12.00")));
        assertThat(second).isEqualTo("authorization_details:~payment_initiation;authorization_details:-account_information");
        assertThat(json(token.getAuthorizationDetails())).isEqualTo(expected);
        assertThat(RequestLedger.of(request.session).grantedAuthorizationDetails()).isEqualTo(expected);

        // a third allow that would keep a type the second removed brings nothing back
        GrantedAuthorizationDetails.apply(request.session, request(CELLS), keep(List.of("account_information"), null),
                token, null, null);
        assertThat(token.getAuthorizationDetails()).isEmpty();
        assertThat(RequestLedger.of(request.session).takeGrantedAuthorizationDetails()).isEmpty();
    }

    @Test
    void anExchangeIsGrantedOnlyTheRequestedCellsThatTheSubjectTokensCellsCover() {
        RequestLedger.of(request.session).boundAuthorizationDetails(AuthorizationDetails.parse("""
                [{"type": "payment_initiation", "actions": ["initiate", "status"],
                  "instructedAmount": {"currency": "EUR", "amount": "12.00"}}]"""));
        AccessToken token = new AccessToken();

        String removed = GrantedAuthorizationDetails.apply(request.session, request(CELLS), Obligations.NONE, token,
                null, null);
        // asks cancel, beyond the subject token's cell; and a type the subject token does not have
        assertThat(token.getAuthorizationDetails()).isEmpty();
        assertThat(removed).isEqualTo("authorization_details:-payment_initiation;authorization_details:-account_information");

        AccessToken within = new AccessToken();
        GrantedAuthorizationDetails.apply(request.session, request("""
                [{"type": "payment_initiation", "actions": ["status"],
                  "instructedAmount": {"currency": "EUR", "amount": "12.00"}}]"""), Obligations.NONE, within, null, null);
        assertThat(within.getAuthorizationDetails()).hasSize(1);
    }

    @Test
    void cellsKeycloakGrantedItselfAreNarrowedNeverReplaced() {
        AccessToken token = new AccessToken();
        AuthorizationDetailsJSONRepresentation own = new AuthorizationDetailsJSONRepresentation();
        own.setType("openid_credential");
        own.setCustomData("credential_configuration_id", "pid");
        token.setAuthorizationDetails(List.of(own));

        GrantedAuthorizationDetails.apply(request.session, request(CELLS), Obligations.NONE, token, null, null);
        assertThat(json(token.getAuthorizationDetails()))
                .isEqualTo(List.of(Map.of("type", "openid_credential", "credential_configuration_id", "pid")));
        assertThat(RequestLedger.ifOpen(request.session).grantedAuthorizationDetails()).as("Keycloak writes its response")
                .isNull();

        GrantedAuthorizationDetails.apply(request.session, request(CELLS), keep(List.of("payment_initiation"), null),
                token, null, null);
        assertThat(token.getAuthorizationDetails()).isEmpty();
    }
}
