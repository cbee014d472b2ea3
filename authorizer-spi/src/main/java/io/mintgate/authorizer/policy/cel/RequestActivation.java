package io.mintgate.authorizer.policy.cel;

import dev.cel.runtime.CelVariableResolver;
import io.mintgate.authorizer.policy.IssuanceRequest;
import java.util.Optional;

/**
 * The variables one request exposes to CEL. Built once per request and shared by every rule; each context
 * object is wrapped on first use, so rules that only look at the client never touch the subject.
 * Not thread-safe, by design: one request is evaluated on one thread.
 */
public final class RequestActivation implements CelVariableResolver {

    private final IssuanceRequest request;
    private final PolicyVariables.Values variables;
    private ContextStruct<?> grant;
    private ContextStruct<?> client;
    private ContextStruct<?> subject;
    private ContextStruct<?> actor;
    private ContextStruct<?> network;
    private ContextStruct<?> workload;
    private ContextStruct<?> organization;
    private ContextStruct<?> nhi;

    public RequestActivation(IssuanceRequest request, PolicyVariables variables) {
        this.request = request;
        this.variables = variables.bind(this);
    }

    public IssuanceRequest request() {
        return request;
    }

    @Override
    public Optional<Object> find(String name) {
        return Optional.ofNullable(lookup(name));
    }

    private Object lookup(String name) {
        return switch (name) {
            case "realm" -> request.realm();
            case "now" -> request.time();
            case "event" -> request.event();
            case "grant" -> grant != null ? grant : (grant = ContextTypes.GRANT.wrap(request.grant()));
            case "client" -> client != null ? client : (client = ContextTypes.CLIENT.wrap(request.client()));
            case "subject" -> subject != null ? subject : (subject = ContextTypes.SUBJECT.wrap(request.subject()));
            case "actor" -> actor != null ? actor : (actor = ContextTypes.ACTOR.wrap(request.actor()));
            case "network" -> network != null ? network : (network = ContextTypes.NETWORK.wrap(request.network()));
            case "workload" -> workload != null ? workload : (workload = ContextTypes.WORKLOAD.wrap(request.workload()));
            case "organization" -> organization != null ? organization
                    : (organization = ContextTypes.ORGANIZATION.wrap(request.organization()));
            case "nhi" -> nhi != null ? nhi : (nhi = ContextTypes.NHI.wrap(request.nhi()));
            case "variables" -> variables;
            default -> null;
        };
    }
}
