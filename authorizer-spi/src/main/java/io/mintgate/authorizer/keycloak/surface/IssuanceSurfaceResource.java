package io.mintgate.authorizer.keycloak.surface;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.surface.ClientReport;
import io.mintgate.authorizer.surface.ClientSurface;
import io.mintgate.authorizer.surface.Finding;
import io.mintgate.authorizer.surface.GrantPath;
import io.mintgate.authorizer.surface.GrantPaths;
import io.mintgate.authorizer.surface.PathCoverage;
import io.mintgate.authorizer.surface.PostureFindings;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code GET /admin/realms/{realm}/mintgate/surface}: every grant path each OpenID Connect client of the realm can
 * use, which Mintgate policy decides it, and the client's posture findings (docs/issuance-surface.md).
 */
public final class IssuanceSurfaceResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    public IssuanceSurfaceResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> all(@QueryParam("client") String clientId, @QueryParam("path") String path,
                                   @QueryParam("uncovered") boolean uncoveredOnly,
                                   @QueryParam("finding") String finding,
                                   @QueryParam("maxAccessTokenLifetime") Long maxAccessTokenLifetime) {
        requireView();
        GrantPath wantedPath = parsePath(path);
        long threshold = threshold(maxAccessTokenLifetime);
        Inventory inventory = inventory();
        List<ClientReport> reports = new ArrayList<>();
        realm.getClientsStream()
                .filter(c -> OIDCLoginProtocol.LOGIN_PROTOCOL.equals(protocol(c)))
                .filter(c -> clientId == null || clientId.equals(c.getClientId()))
                .map(c -> inventory.report(c, threshold))
                .filter(r -> wantedPath == null || r.paths().stream().anyMatch(p -> p.path() == wantedPath))
                .filter(r -> !uncoveredOnly || r.hasUncoveredPath())
                .filter(r -> finding == null || r.findings().stream().anyMatch(f -> f.id().equals(finding)))
                .forEach(reports::add);
        return SurfaceJson.realm(realm.getName(), threshold, reports);
    }

    @GET
    @Path("{clientId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> one(@PathParam("clientId") String clientId,
                                   @QueryParam("maxAccessTokenLifetime") Long maxAccessTokenLifetime) {
        requireView();
        ClientModel client = realm.getClientByClientId(clientId);
        if (client == null || !OIDCLoginProtocol.LOGIN_PROTOCOL.equals(protocol(client))) {
            throw new NotFoundException("no OpenID Connect client '" + clientId + "' in realm " + realm.getName());
        }
        return SurfaceJson.client(inventory().report(client, threshold(maxAccessTokenLifetime)));
    }

    private void requireView() {
        auth.realm().requireViewRealm();
        auth.clients().requireView();
    }

    private static GrantPath parsePath(String path) {
        try {
            return path == null ? null : GrantPath.fromWireName(path);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("path: " + e.getMessage());
        }
    }

    private static long threshold(Long maxAccessTokenLifetime) {
        if (maxAccessTokenLifetime == null) {
            return PostureFindings.DEFAULT_MAX_ACCESS_TOKEN_SECONDS;
        }
        if (maxAccessTokenLifetime < 1) {
            throw new BadRequestException("maxAccessTokenLifetime: expected a number of seconds of at least 1, got "
                    + maxAccessTokenLifetime);
        }
        return maxAccessTokenLifetime;
    }

    private static String protocol(ClientModel client) {
        return client.getProtocol() == null ? OIDCLoginProtocol.LOGIN_PROTOCOL : client.getProtocol();
    }

    private Inventory inventory() {
        return new Inventory(PolicyCoverageReader.of(session, realm), hasResourceServers());
    }

    private boolean hasResourceServers() {
        AuthorizationProvider authz = session.getProvider(AuthorizationProvider.class);
        if (authz == null) {
            return false;
        }
        return realm.getClientsStream()
                .anyMatch(c -> authz.getStoreFactory().getResourceServerStore().findByClient(c) != null);
    }

    private final class Inventory {
        private final PolicyCoverageReader coverage;
        private final boolean resourceServers;

        Inventory(PolicyCoverageReader coverage, boolean resourceServers) {
            this.coverage = coverage;
            this.resourceServers = resourceServers;
        }

        ClientReport report(ClientModel client, long threshold) {
            ClientSurface surface = ClientSurfaceReader.read(realm, client, resourceServers);
            List<GrantPath> paths = GrantPaths.of(surface);
            List<PathCoverage> covered = paths.stream().map(p -> coverage.coverage(client, p)).toList();
            List<Finding> findings = PostureFindings.of(surface, paths, threshold);
            return new ClientReport(surface, covered, findings);
        }
    }

    /** The JSON shapes of the answer, kept apart from the lookups. */
    static final class SurfaceJson {
        private SurfaceJson() {
        }

        static Map<String, Object> realm(String realm, long threshold, List<ClientReport> reports) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("realm", realm);
            out.put("maxAccessTokenLifetime", threshold);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("clients", reports.size());
            summary.put("paths", reports.stream().mapToLong(r -> r.paths().size()).sum());
            summary.put("uncoveredPaths", reports.stream().flatMap(r -> r.paths().stream())
                    .filter(p -> PathCoverage.UNCOVERED.equals(p.coverage())).count());
            summary.put("conditionalPaths", reports.stream().flatMap(r -> r.paths().stream())
                    .filter(p -> PathCoverage.CONDITIONAL.equals(p.coverage())).count());
            summary.put("findings", reports.stream().mapToLong(r -> r.findings().size()).sum());
            out.put("summary", summary);
            out.put("clients", reports.stream().map(SurfaceJson::client).toList());
            return out;
        }

        static Map<String, Object> client(ClientReport report) {
            ClientSurface c = report.client();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("clientId", c.clientId());
            out.put("id", c.id());
            out.put("accessType", c.publicClient() ? "public" : c.bearerOnly() ? "bearer-only" : "confidential");
            out.put("owner", c.owner());
            out.put("expiresAt", c.expiresAt());
            out.put("paths", report.paths().stream().map(p -> path(p, c)).toList());
            out.put("findings", report.findings().stream().map(f -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", f.id());
                m.put("severity", f.severity());
                m.put("message", f.message());
                return m;
            }).toList());
            return out;
        }

        private static Map<String, Object> path(PathCoverage p, ClientSurface c) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("path", p.path().wireName());
            out.put("coverage", p.coverage());
            if (p.path() == GrantPath.JWT_AUTHORIZATION_GRANT) {
                out.put("identityProviders", c.jwtGrantIdentityProviders());
            }
            out.put("policies", p.policies().stream().map(cp -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("clientPolicy", cp.clientPolicy());
                m.put("profile", cp.profile());
                m.put("executor", "issuance-authorizer");
                m.put("storedPolicy", cp.storedPolicy());
                m.put("always", cp.always());
                return m;
            }).toList());
            return out;
        }
    }
}
