package io.mintgate.authorizer.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Realistic issuance requests for tests, tweaked with the record "withers" below. */
final class Requests {

    /** A Tuesday, 10:00 in Paris. */
    static final Instant TUESDAY_MORNING = Instant.parse("2025-03-04T09:00:00Z");

    private Requests() {
    }

    static IssuanceRequest ciRunner() {
        return new IssuanceRequest("acme", TUESDAY_MORNING, "CLIENT_LOGIN",
                new Grant("client_credentials", List.of("read", "deploy"), List.of("deploy-api"), List.of(), null),
                new ClientInfo("c-1", "ci-runner", "federated-jwt", false,
                        Map.of("mintgate.kind", "ci-runner", "mintgate.allowed-cidrs", "10.0.0.0/8, 2001:db8::/32"),
                        List.of(), List.of("read", "deploy")),
                null, null, new NetworkInfo("10.20.30.40", null, null),
                new WorkloadInfo("https://token.actions.githubusercontent.com", "repo:acme/app:environment:production",
                        Map.of("repository", "acme/app", "ref", "refs/heads/main", "environment", "production",
                                "run_attempt", 1)),
                null, null);
    }

    static IssuanceRequest withScopes(IssuanceRequest r, String... scopes) {
        Grant g = r.grant();
        return with(r, new Grant(g.type(), List.of(scopes), g.audiences(), g.resources(), g.requestedTokenType()));
    }

    static IssuanceRequest with(IssuanceRequest r, Grant grant) {
        return new IssuanceRequest(r.realm(), r.time(), r.event(), grant, r.client(), r.subject(), r.actor(),
                r.network(), r.workload(), r.organization(), r.nhi());
    }

    static IssuanceRequest with(IssuanceRequest r, ClientInfo client) {
        return new IssuanceRequest(r.realm(), r.time(), r.event(), r.grant(), client, r.subject(), r.actor(),
                r.network(), r.workload(), r.organization(), r.nhi());
    }

    static IssuanceRequest with(IssuanceRequest r, NetworkInfo network) {
        return new IssuanceRequest(r.realm(), r.time(), r.event(), r.grant(), r.client(), r.subject(), r.actor(),
                network, r.workload(), r.organization(), r.nhi());
    }

    static IssuanceRequest with(IssuanceRequest r, WorkloadInfo workload) {
        return new IssuanceRequest(r.realm(), r.time(), r.event(), r.grant(), r.client(), r.subject(), r.actor(),
                r.network(), workload, r.organization(), r.nhi());
    }

    static IssuanceRequest with(IssuanceRequest r, OrganizationInfo organization) {
        return new IssuanceRequest(r.realm(), r.time(), r.event(), r.grant(), r.client(), r.subject(), r.actor(),
                r.network(), r.workload(), organization, r.nhi());
    }

    static IssuanceRequest with(IssuanceRequest r, NhiInfo nhi) {
        return new IssuanceRequest(r.realm(), r.time(), r.event(), r.grant(), r.client(), r.subject(), r.actor(),
                r.network(), r.workload(), r.organization(), nhi);
    }

    static IssuanceRequest with(IssuanceRequest r, SubjectInfo subject) {
        return new IssuanceRequest(r.realm(), r.time(), r.event(), r.grant(), r.client(), subject, r.actor(),
                r.network(), r.workload(), r.organization(), r.nhi());
    }

    static IssuanceRequest withEvent(IssuanceRequest r, String event) {
        return new IssuanceRequest(r.realm(), r.time(), event, r.grant(), r.client(), r.subject(), r.actor(),
                r.network(), r.workload(), r.organization(), r.nhi());
    }

    static IssuanceRequest at(IssuanceRequest r, Instant time) {
        return new IssuanceRequest(r.realm(), time, r.event(), r.grant(), r.client(), r.subject(), r.actor(),
                r.network(), r.workload(), r.organization(), r.nhi());
    }

    static ClientInfo withAttribute(ClientInfo c, String key, String value) {
        Map<String, String> attributes = new java.util.HashMap<>(c.attributes());
        attributes.put(key, value);
        return new ClientInfo(c.id(), c.clientId(), c.authMethod(), c.publicClient(), attributes, c.roles(), c.scopes());
    }

    static PolicySet compile(String json) {
        try {
            return PolicyCompiler.compile(json);
        } catch (PolicyValidationException e) {
            throw new AssertionError("policy should compile but: " + e.getMessage(), e);
        }
    }

    /** A one-rule policy; {@code ruleBody} is the rule's JSON members without braces. */
    static PolicySet rule(String ruleBody) {
        return compile("{\"rules\": [{" + ruleBody + "}]}");
    }
}
