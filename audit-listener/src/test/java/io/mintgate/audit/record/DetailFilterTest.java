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

    /** mayLookLikeCredential picks the prefixes to compare by the first letter, in two cases only. */
    @Test
    void onlyTheTwoAsciiCasesOfEBAndDMatchThemIgnoringCase() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            for (char letter : new char[]{'e', 'b', 'd'}) {
                boolean matches = String.valueOf(c).regionMatches(true, 0, String.valueOf(letter), 0, 1);
                assertThat(matches).as("U+%04X against %s", (int) c, letter)
                        .isEqualTo(c == letter || c == Character.toUpperCase(letter));
            }
        }
    }

    @Test
    void theQuickPreCheckNeverClearsAValueTheCredentialPatternWouldFlag() {
        java.util.List<String> values = new java.util.ArrayList<>(java.util.List.of(
                "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "  EYJabcd.efg.", "Bearer abc", "basic\tdXNlcg==",
                "DPoP abc", "dpop", "https://app/cb?code=1", "x#access_token=1", "a&STATE=2", "orders-api",
                "profile email", "client-secret", "", " ", "\u0000bearer x", "e", "bee", "d", "?", "&", "#",
                "onrtcc:3c8f", "within policy", "eyJ", "Grüße", "\u00a0bearer x"));
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        String alphabet = "eEyJjbBdDaAsicpo?#&=_. \t\n0123456789xyz-tokenstatecode";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            values.add(b.toString());
        }
        // The prefixes the pre-check looks for, in random case, with random leading blanks and tails.
        String[] prefixes = {"eyJ", "bearer", "basic", "dpop", "eyjA", "beare", "basi", "dpo"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(3); n > 0; n--) {
                b.append(" \t\u0001".charAt(random.nextInt(3)));
            }
            for (char c : prefixes[random.nextInt(prefixes.length)].toCharArray()) {
                b.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
            }
            for (int n = random.nextInt(8); n > 0; n--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            values.add(b.toString());
        }
        for (String value : values) {
            boolean byPattern = DetailFilter.SECRET_VALUE.matcher(value.trim()).find();
            assertThat(DetailFilter.looksLikeCredentialValue(value)).as(value).isEqualTo(byPattern);
            if (byPattern) {
                assertThat(DetailFilter.mayLookLikeCredential(value)).as(value).isTrue();
            }
        }
    }
}
