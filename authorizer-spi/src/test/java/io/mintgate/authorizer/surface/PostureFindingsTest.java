package io.mintgate.authorizer.surface;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class PostureFindingsTest {

    private static List<String> ids(ClientSurface c) {
        return PostureFindings.of(c, GrantPaths.of(c), 3600).stream().map(Finding::id).toList();
    }

    private static Finding only(ClientSurface c, String id) {
        return PostureFindings.of(c, GrantPaths.of(c), 3600).stream().filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow();
    }

    @Test
    void aTidyServiceAccountHasNoFinding() {
        assertThat(ids(GrantPathsTest.client().serviceAccounts().owned().build())).isEmpty();
    }

    @Test
    void aServiceAccountWithoutOwnerOrExpiryIsReportedForEach() {
        assertThat(ids(GrantPathsTest.client().serviceAccounts().build()))
                .containsExactly("service-account-without-owner", "service-account-without-expiry");
    }

    @Test
    void refreshTokensOfAPublicClientAreHighUnlessBoundOrRotated() {
        ClientSurface.Builder spa = GrantPathsTest.client().publicClient().standardFlow();
        assertThat(only(spa.build(), "refresh-not-sender-constrained").severity()).isEqualTo("high");
        assertThat(only(spa.rotation().build(), "refresh-not-sender-constrained").severity()).isEqualTo("low");
        assertThat(ids(spa.dpop().build())).doesNotContain("refresh-not-sender-constrained");
    }

    @Test
    void implicitPasswordWildcardsLifetimeAndFullScope() {
        ClientSurface c = GrantPathsTest.client().implicit().directAccess().noRefreshTokens()
                .redirectUris("https://a.example/*", "https://a.example/cb").lifespan(7200).fullScope().build();
        assertThat(ids(c)).containsExactly("implicit-grant", "password-grant", "wildcard-redirect-uri",
                "long-access-token-lifetime", "full-scope-allowed");
        assertThat(only(c, "wildcard-redirect-uri").message()).contains("https://a.example/*").doesNotContain("/cb");
        assertThat(PostureFindings.of(c, GrantPaths.of(c), 7200).stream().map(Finding::id))
                .doesNotContain("long-access-token-lifetime");
    }

    @Test
    void fullScopeOnAClientWithoutAnyPathIsNotAFinding() {
        assertThat(ids(GrantPathsTest.client().bearerOnly().fullScope().build())).isEmpty();
    }
}
