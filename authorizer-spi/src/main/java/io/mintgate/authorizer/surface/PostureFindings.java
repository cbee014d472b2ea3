package io.mintgate.authorizer.surface;

import java.util.ArrayList;
import java.util.List;

/** The posture findings of one client; each check is one method named after the finding it reports. */
public final class PostureFindings {

    /** Access tokens living longer than this are reported unless the caller sets another threshold. */
    public static final long DEFAULT_MAX_ACCESS_TOKEN_SECONDS = 3600;

    private PostureFindings() {
    }

    public static List<Finding> of(ClientSurface c, List<GrantPath> paths, long maxAccessTokenSeconds) {
        List<Finding> findings = new ArrayList<>();
        refreshNotSenderConstrained(c, paths, findings);
        if (paths.contains(GrantPath.IMPLICIT)) {
            findings.add(new Finding("implicit-grant", "high",
                    "implicit flow is on: tokens in the front channel (RFC 9700 §2.1.2 says not to use it)"));
        }
        if (paths.contains(GrantPath.PASSWORD)) {
            findings.add(new Finding("password-grant", "high",
                    "direct access grants are on: the client sees the user's password (RFC 9700 §2.4 says must not)"));
        }
        List<String> wildcards = c.redirectUris().stream().filter(u -> u.contains("*")).toList();
        if (!wildcards.isEmpty()) {
            findings.add(new Finding("wildcard-redirect-uri", "high",
                    "redirect URIs with a wildcard " + wildcards + " (RFC 9700 §2.1 asks for exact string matching)"));
        }
        if (c.accessTokenLifespanSeconds() > maxAccessTokenSeconds) {
            findings.add(new Finding("long-access-token-lifetime", "medium",
                    "access tokens live " + c.accessTokenLifespanSeconds() + " s, more than " + maxAccessTokenSeconds + " s"));
        }
        if (c.fullScopeAllowed() && !paths.isEmpty()) {
            findings.add(new Finding("full-scope-allowed", "medium",
                    "full scope allowed: tokens can carry every role of the user or service account (RFC 9700 §2.3)"));
        }
        if (c.serviceAccounts() && !c.publicClient()) {
            if (blank(c.owner())) {
                findings.add(new Finding("service-account-without-owner", "medium",
                        "service account without an owner (mintgate.owner)"));
            }
            if (blank(c.expiresAt())) {
                findings.add(new Finding("service-account-without-expiry", "medium",
                        "service account without an expiry (mintgate.expires-at)"));
            }
        }
        return findings;
    }

    /**
     * RFC 9700 §2.2.2: a public client's refresh tokens must be sender-constrained or rotated; high then, low for a
     * confidential client (its refresh tokens are bound to its credentials).
     */
    private static void refreshNotSenderConstrained(ClientSurface c, List<GrantPath> paths, List<Finding> findings) {
        if (paths.contains(GrantPath.REFRESH_TOKEN) && !c.dpopBound() && !c.mtlsBound()) {
            boolean unprotected = c.publicClient() && !c.refreshTokenRotation();
            findings.add(new Finding("refresh-not-sender-constrained", unprotected ? "high" : "low",
                    "refresh tokens are not sender-constrained (neither DPoP nor mTLS binding is on)"
                            + (unprotected ? " nor rotated (realm: revoke refresh token off)" : "")));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
