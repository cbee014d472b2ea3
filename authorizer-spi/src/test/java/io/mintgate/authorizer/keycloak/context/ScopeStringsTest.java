package io.mintgate.authorizer.keycloak.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeStringsTest {

    /** The regex split this replaces, for every non-blank input (blank gave [""], now nothing). */
    @ParameterizedTest
    @ValueSource(strings = {"openid", "openid profile email", "  openid   profile ", "a\tb\nc\u000Bd\fe\rf",
            "read\u00A0write", "\u0001x\u0002", "x", " x", "x ", "ü ö", "scope:with:colons api://x"})
    void splitsLikeTheRegex(String value) {
        assertEquals(Arrays.asList(value.trim().split("\\s+")), ScopeStrings.split(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankIsEmpty(String value) {
        assertEquals(List.of(), ScopeStrings.split(value));
    }
}
