package io.mintgate.authorizer.policy.cel;

import static io.mintgate.authorizer.policy.cel.ContextField.converted;
import static io.mintgate.authorizer.policy.cel.ContextField.list;
import static io.mintgate.authorizer.policy.cel.ContextField.map;
import static io.mintgate.authorizer.policy.cel.ContextField.of;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import io.mintgate.authorizer.policy.ActorInfo;
import io.mintgate.authorizer.policy.AuthorizationDetails;
import io.mintgate.authorizer.policy.ClientInfo;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.NetworkInfo;
import io.mintgate.authorizer.policy.NhiInfo;
import io.mintgate.authorizer.policy.OrganizationInfo;
import io.mintgate.authorizer.policy.SubjectInfo;
import io.mintgate.authorizer.policy.WorkloadInfo;
import java.util.List;

/**
 * The declared shape of every context object; {@link ContextVariables} says which variable has which shape.
 * Declaring real struct types (rather than map(string, dyn)) lets the checker reject typos such as
 * {@code client.clientid} when the admin saves the policy. The documentation in docs/policy-reference.md lists
 * exactly these fields (ContextVariablesTest checks it does).
 */
public final class ContextTypes {

    private static final CelType STRING = SimpleType.STRING;
    private static final CelType BOOL = SimpleType.BOOL;
    private static final CelType STRINGS = ListType.create(SimpleType.STRING);
    private static final CelType STRING_MAP = MapType.create(SimpleType.STRING, SimpleType.STRING);
    private static final CelType MULTI_MAP = MapType.create(SimpleType.STRING, STRINGS);
    private static final CelType CLAIMS = MapType.create(SimpleType.STRING, SimpleType.DYN);
    private static final CelType INT = SimpleType.INT;
    /** The delegation chain's earlier actors, each {@code {"clientId": ..., "subject": ...}}. */
    private static final CelType PRIOR_ACTORS = ListType.create(STRING_MAP);
    /** RFC 9396 cells, each a JSON object read as a map with its common members always present. */
    private static final CelType AUTHORIZATION_DETAILS = ListType.create(CLAIMS);

    public static final ContextType<Grant> GRANT = new ContextType<>("mintgate.Grant", List.of(
            of("type", STRING, Grant::type),
            list("scopes", STRINGS, Grant::scopes),
            list("audiences", STRINGS, Grant::audiences),
            list("resources", STRINGS, Grant::resources),
            of("requestedTokenType", STRING, Grant::requestedTokenType),
            converted("authorizationDetails", AUTHORIZATION_DETAILS, ContextTypes::authorizationDetails)));

    public static final ContextType<ClientInfo> CLIENT = new ContextType<>("mintgate.Client", List.of(
            of("id", STRING, ClientInfo::id),
            of("clientId", STRING, ClientInfo::clientId),
            of("authMethod", STRING, ClientInfo::authMethod),
            of("publicClient", BOOL, ClientInfo::publicClient),
            map("attributes", STRING_MAP, ClientInfo::attributes),
            list("roles", STRINGS, ClientInfo::roles),
            list("scopes", STRINGS, ClientInfo::scopes)));

    public static final ContextType<SubjectInfo> SUBJECT = new ContextType<>("mintgate.Subject", List.of(
            of("present", BOOL, SubjectInfo::present),
            of("id", STRING, SubjectInfo::id),
            of("username", STRING, SubjectInfo::username),
            of("enabled", BOOL, SubjectInfo::enabled),
            of("serviceAccount", BOOL, SubjectInfo::serviceAccount),
            map("attributes", MULTI_MAP, SubjectInfo::attributes),
            list("realmRoles", STRINGS, SubjectInfo::realmRoles),
            map("clientRoles", MULTI_MAP, SubjectInfo::clientRoles),
            list("groups", STRINGS, SubjectInfo::groups)));

    public static final ContextType<ActorInfo> ACTOR = new ContextType<>("mintgate.Actor", List.of(
            of("present", BOOL, ActorInfo::present),
            of("clientId", STRING, ActorInfo::clientId),
            of("subject", STRING, ActorInfo::subject),
            converted("prior", PRIOR_ACTORS, ContextTypes::priorActors),
            of("depth", INT, actor -> (long) actor.depth())));

    public static final ContextType<NetworkInfo> NETWORK = new ContextType<>("mintgate.Network", List.of(
            of("sourceAddress", STRING, NetworkInfo::sourceAddress),
            of("tlsClientCertThumbprint", STRING, NetworkInfo::tlsClientCertThumbprint),
            of("dpopThumbprint", STRING, NetworkInfo::dpopThumbprint)));

    public static final ContextType<WorkloadInfo> WORKLOAD = new ContextType<>("mintgate.Workload", List.of(
            of("present", BOOL, WorkloadInfo::present),
            of("issuer", STRING, WorkloadInfo::issuer),
            of("subject", STRING, WorkloadInfo::subject),
            converted("claims", CLAIMS, w -> CelValues.toCel(w.claims()))));

    public static final ContextType<OrganizationInfo> ORGANIZATION = new ContextType<>("mintgate.Organization", List.of(
            of("present", BOOL, OrganizationInfo::present),
            of("id", STRING, OrganizationInfo::id),
            of("alias", STRING, OrganizationInfo::alias)));

    public static final ContextType<NhiInfo> NHI = new ContextType<>("mintgate.Nhi", List.of(
            of("present", BOOL, NhiInfo::present),
            of("owner", STRING, NhiInfo::owner),
            of("ownerUsername", STRING, NhiInfo::ownerUsername),
            of("ownerExists", BOOL, NhiInfo::ownerExists),
            of("ownerEnabled", BOOL, NhiInfo::ownerEnabled),
            of("expiresAt", SimpleType.TIMESTAMP, NhiInfo::expiresAt),
            of("purpose", STRING, NhiInfo::purpose)));

    private ContextTypes() {
    }

    /** Only a request with the parameter pays for the conversion. */
    private static Object authorizationDetails(Grant grant) {
        if (grant.authorizationDetails().isEmpty()) {
            return List.of();
        }
        return CelValues.toCel(grant.authorizationDetails().stream()
                .map(AuthorizationDetails::withCommonMembers).toList());
    }

    private static Object priorActors(ActorInfo actor) {
        if (actor.prior().isEmpty()) {
            return List.of();
        }
        return actor.prior().stream().map(p -> java.util.Map.of("clientId", p.clientId(), "subject", p.subject())).toList();
    }
}
