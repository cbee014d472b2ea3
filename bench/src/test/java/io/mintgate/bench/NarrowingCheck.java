package io.mintgate.bench;

import java.text.ParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;
import io.mintgate.it.harness.OidcClient;

/**
 * Proof that the narrowing comparison measures narrowing: the access tokens of the two smoke requests (one per
 * server, same grant and client), signature-verified against each realm's JWKS, must show B's obligations applied
 * and A's not. The benchmark policy's audience rule adds the claim {@code purpose} (the client's NHI purpose) to
 * every token it narrows, so B's token must carry it and A's must not; and B's token may never be broader than A's
 * (audiences and scopes a subset, lifetime not longer). Otherwise the run stops before any load is sent.
 */
final class NarrowingCheck {

    /** The claim the benchmark policy's {@code r19-narrow-audience} obligation adds. */
    static final String OBLIGATION_CLAIM = "purpose";

    private NarrowingCheck() {
    }

    /** What a server's access token grants, as far as narrowing can change it. */
    record Grants(Set<String> audiences, Set<String> scopes, long lifetimeSeconds, Object obligationClaim) {

        static Grants of(JWTClaimsSet claims) {
            try {
                String scope = claims.getStringClaim("scope");
                return new Grants(new LinkedHashSet<>(claims.getAudience()),
                        scope == null ? Set.of() : new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+"))),
                        (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000,
                        claims.getClaim(OBLIGATION_CLAIM));
            } catch (ParseException e) {
                throw new IllegalStateException("the access token's scope is not a string", e);
            }
        }

        @Override
        public String toString() {
            return "aud " + audiences + ", scope " + scopes + ", lifetime " + lifetimeSeconds + " s, "
                    + OBLIGATION_CLAIM + " " + (obligationClaim == null ? "absent" : "\"" + obligationClaim + "\"");
        }
    }

    /**
     * Verifies both smoke responses and returns one line describing what narrowing changed on B; throws
     * {@link IllegalStateException} naming the difference that is missing.
     */
    static String verify(String grant, String responseA, OidcClient realmA, String responseB, OidcClient realmB) {
        Grants a = Grants.of(realmA.verify(BenchGrants.jsonString(responseA, "access_token")));
        Grants b = Grants.of(realmB.verify(BenchGrants.jsonString(responseB, "access_token")));
        List<String> problems = new java.util.ArrayList<>();
        if (!(b.obligationClaim() instanceof String s) || s.isBlank()) {
            problems.add("B's token has no '" + OBLIGATION_CLAIM + "' claim: the obligations were not applied");
        }
        if (a.obligationClaim() != null) {
            problems.add("A's token has a '" + OBLIGATION_CLAIM + "' claim: A's policy still narrows");
        }
        if (!a.audiences().containsAll(b.audiences())) {
            problems.add("B's token has audiences A's lacks");
        }
        if (!a.scopes().containsAll(b.scopes())) {
            problems.add("B's token has scopes A's lacks");
        }
        if (b.lifetimeSeconds() > a.lifetimeSeconds()) {
            problems.add("B's token lives longer than A's");
        }
        String both = "A (no narrowing): " + a + "; B (narrowing): " + b;
        if (!problems.isEmpty()) {
            throw new IllegalStateException(grant + ": the narrowing comparison would measure nothing: "
                    + String.join("; ", problems) + ". " + both);
        }
        Set<String> removedAudiences = new LinkedHashSet<>(a.audiences());
        removedAudiences.removeAll(b.audiences());
        Set<String> removedScopes = new LinkedHashSet<>(a.scopes());
        removedScopes.removeAll(b.scopes());
        return grant + ": B narrowed (aud -" + removedAudiences + ", scope -" + removedScopes + ", lifetime "
                + a.lifetimeSeconds() + " -> " + b.lifetimeSeconds() + " s, +" + OBLIGATION_CLAIM + "). " + both;
    }
}
