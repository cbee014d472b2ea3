package io.mintgate.audit.record;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DetailFilterTest {
    @Test
    void onlyAllowListedDetailsWithoutCredentialsAreKept() {
        Map<String, String> details = new HashMap<>();
        details.put("code_id", "c0de-1d");
        details.put("grant_type", "password");
        details.put("password", "hunter2");
        details.put("client_secret", "very-secret");
        details.put("client_assertion", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
        details.put("code", "SplxlOBeZQQYbYS6WxSbIA");
        details.put("some_new_keycloak_detail", "whatever");
        details.put("redirect_uri", "https://app.example/cb?code=abc&state=xyz#access_token=eyJ");
        details.put("reason", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig");

        Map<String, String> kept = DetailFilter.filter(details);

        assertThat(kept).containsOnlyKeys("code_id", "grant_type", "redirect_uri");
        assertThat(kept.get("redirect_uri")).isEqualTo("https://app.example/cb");
    }

    @Test
    void credentialLookingKeysAreRecognisedEvenIfSomeoneAllowListsThem() {
        assertThat(DetailFilter.looksLikeCredentialKey("client_secret")).isTrue();
        assertThat(DetailFilter.looksLikeCredentialKey("access_token")).isTrue();
        assertThat(DetailFilter.looksLikeCredentialKey("code")).isTrue();
        assertThat(DetailFilter.looksLikeCredentialKey("token_id")).isFalse();
        assertThat(DetailFilter.looksLikeCredentialKey("code_id")).isFalse();
    }
}
