package io.mintgate.authorizer.keycloak.lifecycle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.authorizer.keycloak.simulate.Simulator;
import io.mintgate.authorizer.policy.NhiInfo;
import jakarta.ws.rs.WebApplicationException;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * What disabling a user would do to the identities they own, evaluated rather than described: for each identity
 * with a service account, the {@link Simulator} decides its client-credentials grant twice — as the realm stands,
 * and with the owner taken as disabled ({@code nhi.ownerEnabled} false), which is exactly what the live path sees
 * on the first mint after the owner is disabled. Next to it, what the offboarding revocation would take back: the
 * identity's active and offline sessions, counted by Keycloak's session store.
 */
final class DisableImpact {

    private final KeycloakSession session;
    private final RealmModel realm;

    DisableImpact(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** @param identities the clients the user owns; {@code revokes} whether disabling the user revokes their tokens */
    Map<String, Object> of(UserModel owner, List<ClientModel> identities, boolean revokes) {
        Simulator simulator = new Simulator(session, realm);
        List<Map<String, Object>> rows = new ArrayList<>();
        long refused = 0, alreadyRefused = 0, stillAllowed = 0, notEvaluated = 0, active = 0, offline = 0;
        for (ClientModel client : identities) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", client.getId());
            row.put("clientId", client.getClientId());
            row.put("enabled", client.isEnabled());
            row.put("serviceAccount", client.isServiceAccountsEnabled());
            String note = notEvaluable(client);
            if (note == null) {
                ObjectNode body = JsonNodeFactory.instance.objectNode()
                        .put("clientId", client.getClientId()).put("grantType", OAuth2Constants.CLIENT_CREDENTIALS);
                try {
                    Map<String, Object> now = decision(simulator.simulate(body));
                    Map<String, Object> then = decision(simulator.simulate(body, DisableImpact::ownerDisabled));
                    row.put("grantType", OAuth2Constants.CLIENT_CREDENTIALS);
                    row.put("now", now);
                    row.put("ifDisabled", then);
                    boolean refusedNow = "deny".equals(now.get("outcome"));
                    boolean refusedThen = "deny".equals(then.get("outcome"));
                    String effect = refusedNow ? "already refused" : refusedThen ? "refused" : "still allowed";
                    row.put("effect", effect);
                    alreadyRefused += refusedNow ? 1 : 0;
                    refused += !refusedNow && refusedThen ? 1 : 0;
                    stillAllowed += refusedThen ? 0 : 1;
                } catch (WebApplicationException e) {
                    note = "not simulated: " + e.getMessage();
                }
            }
            if (note != null) {
                row.put("effect", "not evaluated");
                row.put("note", note);
                notEvaluated++;
            }
            long activeSessions = session.sessions().getActiveUserSessions(realm, client);
            long offlineSessions = session.sessions().getOfflineSessionsCount(realm, client);
            row.put("activeSessions", activeSessions);
            row.put("offlineSessions", offlineSessions);
            row.put("revoked", revokes);
            active += activeSessions;
            offline += offlineSessions;
            rows.add(row);
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("identities", identities.size());
        totals.put("refused", refused);
        totals.put("alreadyRefused", alreadyRefused);
        totals.put("stillAllowed", stillAllowed);
        totals.put("notEvaluated", notEvaluated);
        totals.put("activeSessions", active);
        totals.put("offlineSessions", offline);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", Map.of("id", owner.getId(), "username", owner.getUsername(), "enabled", owner.isEnabled()));
        out.put("revokeOnDisable", revokes);
        out.put("totals", totals);
        out.put("identities", rows);
        return out;
    }

    /** Why an identity's grant is not decided here; null when its client-credentials grant is. */
    private static String notEvaluable(ClientModel client) {
        if (!client.isEnabled()) {
            return "the client is disabled: Keycloak issues it no token whoever owns it";
        }
        if (!client.isServiceAccountsEnabled() || client.isPublicClient()) {
            return "no service account: its tokens are users' tokens; simulate a user's grant of it"
                    + " (POST .../mintgate/simulate) to see that decision";
        }
        return null;
    }

    static NhiInfo ownerDisabled(NhiInfo nhi) {
        return new NhiInfo(nhi.owner(), nhi.ownerUsername(), nhi.ownerExists(), false, nhi.expiresAt(), nhi.purpose());
    }

    /** The simulator's deciding members, as its answer names them. */
    private static Map<String, Object> decision(Map<String, Object> answer) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String member : List.of("outcome", "rule", "reason", "message", "policyVersion")) {
            if (answer.get(member) != null) {
                m.put(member, answer.get(member));
            }
        }
        return m;
    }
}
