package io.mintgate.authorizer.policy.authzen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The evaluation request of the AuthZEN Profile for OAuth 2.0 Token Issuance (Draft 1, Section 5) and of its
 * token exchange binding (Draft 1, Section 4) for one issuance, and where each decision of the answer sits.
 *
 * <p>Layout (Section 5.5.1: gate tuples at the leading indices): per requested target one gate tuple (two for a
 * token exchange, subject gate then requesting-party gate, binding Section 4.6), then per target one scope tuple per
 * scope, then one authorization detail tuple per cell of the request's RFC 9396 entries (Section 5.3.4). Gate of
 * target {@code t}: index {@code t * gates}; scope {@code s} at target {@code t}: index
 * {@code targets * gates + t * scopes + s}; cell {@code c}: {@code targets * (gates + scopes) + c}.
 */
public record IssuanceEvaluations(AuthzenQuery query, List<String> targets, List<String> scopes, int gates,
                                  boolean exchange, AuthorizationDetailTuples details) {

    /** Section 13.3 (grant type short names), keyed by the {@code grant_type} value. */
    static final Map<String, String> GRANT_SHORT_NAMES = Map.of(
            "authorization_code", "authorization_code",
            "client_credentials", "client_credentials",
            "refresh_token", "refresh_token",
            "urn:ietf:params:oauth:grant-type:token-exchange", "token_exchange",
            "urn:ietf:params:oauth:grant-type:device_code", "device_code",
            "urn:ietf:params:oauth:grant-type:jwt-bearer", "jwt_bearer",
            "urn:ietf:params:oauth:grant-type:saml2-bearer", "saml2_bearer");

    /** Section 13.3 and the exchange binding's Section 12.1 (token type short names), keyed by the token type URI. */
    static final Map<String, String> TOKEN_TYPE_SHORT_NAMES = Map.of(
            "urn:ietf:params:oauth:token-type:access_token", "access_token",
            "urn:ietf:params:oauth:token-type:refresh_token", "refresh_token",
            "urn:ietf:params:oauth:token-type:id_token", "id_token",
            "urn:ietf:params:oauth:token-type:id-jag", "id_jag",
            "urn:ietf:params:oauth:token-type:txn_token", "txn_token",
            "urn:ietf:params:oauth:token-type:jwt", "jwt",
            "urn:ietf:params:oauth:token-type:saml1", "saml1",
            "urn:ietf:params:oauth:token-type:saml2", "saml2");

    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** With a codec, so that context values (maps, lists) can be written as they are. */
    private static final JsonFactory JSON = new com.fasterxml.jackson.databind.ObjectMapper().getFactory();

    public int gateIndex(int target, int gate) {
        return target * gates + gate;
    }

    public int scopeIndex(int target, int scope) {
        return targets.size() * gates + target * scopes.size() + scope;
    }

    public int size() {
        return targets.size() * (gates + scopes.size()) + details.size();
    }

    /** The index of authorization detail cell {@code cell}. */
    public int cellIndex(int cell) {
        return targets.size() * (gates + scopes.size()) + cell;
    }

    /** Whether the item at {@code index} is an authorization detail tuple. */
    public boolean isCell(int index) {
        return index >= targets.size() * (gates + scopes.size());
    }

    /** Which target the gate or scope item at {@code index} was evaluated for. */
    public int targetOf(int index) {
        int gateItems = targets.size() * gates;
        return index < gateItems ? index / gates : (index - gateItems) / scopes.size();
    }

    /**
     * Forms the evaluations for {@code request} (Section 5), bounded by the PDP's {@code maxEvaluations}.
     *
     * @return null when the request names more evaluations than the bound (Section 5.5.3: the AS rejects it)
     * @throws PolicyEvaluationException when the issuance cannot be expressed in the profile's vocabulary (no
     *         registered short name for the grant or token type, no subject, no target)
     */
    public static IssuanceEvaluations form(PdpConfig pdp, IssuanceRequest request) {
        return form(pdp, request, Map.of());
    }

    /** As {@link #form(PdpConfig, IssuanceRequest)}, adding a token exchange's advisory context members. */
    public static IssuanceEvaluations form(PdpConfig pdp, IssuanceRequest request, Map<String, Object> exchangeContext) {
        String grantType = request.grant().type();
        String grant = GRANT_SHORT_NAMES.get(grantType);
        if (grant == null) {
            throw failure(pdp, "grant type '" + grantType + "' has no short name registered by the token issuance "
                    + "profile (Section 13.3); no evaluation formed");
        }
        boolean exchange = TOKEN_EXCHANGE.equals(grantType);
        String tokenType = "access_token";
        if (exchange && !request.grant().requestedTokenType().isEmpty()) {
            // Binding Section 4.3: the short name registered for requested_token_type.
            tokenType = TOKEN_TYPE_SHORT_NAMES.get(request.grant().requestedTokenType());
            if (tokenType == null) {
                throw failure(pdp, "requested token type '" + request.grant().requestedTokenType()
                        + "' has no registered short name (binding Section 12.1)");
            }
        }
        // Section 5.2: the targets are the audiences the AS intends for the token (Keycloak has already put the
        // exchange's `audience` and, with resource indicators, `resource` there).
        List<String> targets = List.copyOf(new LinkedHashSet<>(request.grant().audiences()));
        if (targets.isEmpty()) {
            throw failure(pdp, "the token names no audience, so there is no issuance target (Section 5.2)");
        }
        // Section 5.5.2: the token's scopes are already what Keycloak is prepared to grant (the residue). Section
        // 5.3.1: a scope beginning with `issue:` is never a scope tuple.
        List<String> scopes = new ArrayList<>(request.grant().scopes().size());
        for (String scope : request.grant().scopes()) {
            if (!scope.startsWith("issue:") && !scopes.contains(scope)) {
                scopes.add(scope);
            }
        }
        int gates = exchange ? 2 : 1;
        AuthorizationDetailTuples details = AuthorizationDetailTuples.form(request.grant().authorizationDetails(), targets);
        long size = (long) targets.size() * (gates + scopes.size()) + details.size();
        if (size > pdp.maxEvaluations()) {
            return null;
        }
        String subjectType = subjectType(request, exchange);
        String subjectId = request.subject().id();
        if (subjectId.isEmpty()) {
            throw failure(pdp, "the token has no subject (Section 5.1)");
        }
        String action = "issue:" + tokenType + ":" + grant;
        String body = write(pdp, request, targets, scopes, details, exchange, subjectType, subjectId, action, size,
                exchange ? exchangeContext : Map.of());
        return new IssuanceEvaluations(new AuthzenQuery(pdp, body, size == 1 ? 0 : (int) size), targets,
                List.copyOf(scopes), gates, exchange, details);
    }

    /**
     * Section 5.1: {@code user} for a person; for a service account's own token {@code workload} when the client
     * proved a workload identity (a verified federated assertion), else {@code client}. An exchange subject is a
     * {@code user} or a {@code workload} (binding Section 4.1); the assertion there is the requesting party's.
     */
    static String subjectType(IssuanceRequest request, boolean exchange) {
        if (!request.subject().serviceAccount()) {
            return "user";
        }
        return exchange || request.workload().present() ? "workload" : "client";
    }

    private static String write(PdpConfig pdp, IssuanceRequest request, List<String> targets, List<String> scopes,
                                AuthorizationDetailTuples details, boolean exchange, String subjectType, String subjectId, String action, long size,
                                Map<String, Object> exchangeContext) {
        StringWriter out = new StringWriter(256 + 96 * (int) size);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            // One resource shared by every item goes at the top (Section 5.2.2); authorization detail tuples carry
            // their own, so then every item names its resource, as the profile's examples 9.4 and 9.5 do.
            boolean oneTarget = targets.size() == 1 && details.size() == 0;
            if (!exchange) {
                entity(json, "subject", subjectType, subjectId);
            }
            if (size == 1) {
                // Section 9.3: a lone gate tuple is a bare evaluation for the Access Evaluation API.
                json.writeObjectFieldStart("action");
                json.writeStringField("name", action);
                json.writeEndObject();
            }
            if (oneTarget) {
                entity(json, "resource", "audience", targets.get(0));
            }
            context(json, request, exchangeContext);
            if (size > 1) {
                json.writeArrayFieldStart("evaluations");
                for (String target : targets) {
                    if (exchange) {
                        // Binding Section 4.3.1/4.3.2: subject gate, then requesting-party gate (Section 4.2: the
                        // authenticated client, or the workload identity it proved with a federated assertion).
                        item(json, subjectType, subjectId, action, oneTarget ? null : "audience", target);
                        boolean workload = request.workload().present() && !request.workload().subject().isEmpty();
                        item(json, workload ? "workload" : "client",
                                workload ? request.workload().subject() : request.client().clientId(), action,
                                oneTarget ? null : "audience", target);
                    } else {
                        item(json, null, null, action, oneTarget ? null : "audience", target);
                    }
                }
                for (String target : targets) {
                    for (String scope : scopes) {
                        if (exchange) {
                            // Binding Section 4.3.4 and 4.4: the exchange subject, at a `protected_resource`.
                            item(json, subjectType, subjectId, scope, "protected_resource", target);
                        } else {
                            item(json, null, null, scope, oneTarget ? null : "audience", target);
                        }
                    }
                }
                for (AuthorizationDetailTuples.Cell cell : details.cells()) {
                    // Section 5.3.4: the entry's type and the cell's location are the resource; an exchange's
                    // tuples name the exchange subject, as its scope tuples do (binding Section 4.3.4).
                    item(json, exchange ? subjectType : null, exchange ? subjectId : null, cell.actionName(),
                            details.type(cell), cell.location());
                }
                json.writeEndArray();
                // Section 5.5.1: execute_all, so that a denial narrows rather than fails the grant.
                json.writeObjectFieldStart("options");
                json.writeStringField("evaluations_semantic", "execute_all");
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw failure(pdp, "request not serializable: " + e.getMessage());
        }
        return out.toString();
    }

    private static void item(JsonGenerator json, String subjectType, String subjectId, String action,
                             String resourceType, String target) throws IOException {
        json.writeStartObject();
        if (subjectType != null) {
            entity(json, "subject", subjectType, subjectId);
        }
        json.writeObjectFieldStart("action");
        json.writeStringField("name", action);
        json.writeEndObject();
        if (resourceType != null) {
            entity(json, "resource", resourceType, target);
        }
        json.writeEndObject();
    }

    private static void entity(JsonGenerator json, String field, String type, String id) throws IOException {
        json.writeObjectFieldStart(field);
        json.writeStringField("type", type);
        json.writeStringField("id", id);
        json.writeEndObject();
    }

    /** Section 5.4: advisory context; the keys this profile defines that Keycloak knows at decision time. */
    private static void context(JsonGenerator json, IssuanceRequest request, Map<String, Object> exchangeContext)
            throws IOException {
        json.writeObjectFieldStart("context");
        json.writeStringField("client_id", request.client().clientId());
        String dpop = request.network().dpopThumbprint();
        String mtls = request.network().tlsClientCertThumbprint();
        if (!dpop.isEmpty() || !mtls.isEmpty()) {
            // RFC 9449 Section 6.1 / RFC 8705 Section 3.1 confirmation members.
            json.writeObjectFieldStart("cnf");
            if (!dpop.isEmpty()) {
                json.writeStringField("jkt", dpop);
            }
            if (!mtls.isEmpty()) {
                json.writeStringField("x5t#S256", mtls);
            }
            json.writeEndObject();
        }
        // Token exchange binding Section 4.5 (and 4.3.3: may_act is conveyed, never treated as the gate's answer).
        for (Map.Entry<String, Object> member : exchangeContext.entrySet()) {
            json.writeFieldName(member.getKey());
            json.writeObject(member.getValue());
        }
        json.writeEndObject();
    }

    private static PolicyEvaluationException failure(PdpConfig pdp, String message) {
        return new PolicyEvaluationException("authzen pdp '" + pdp.name() + "': " + message, null);
    }
}
