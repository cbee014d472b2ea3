package io.mintgate.authorizer.keycloak.context;

import java.util.List;

import io.mintgate.authorizer.policy.Tokens;

/**
 * Space-separated OAuth parameter values ({@code scope}, RFC 6749 §3.3): the tokens between runs of whitespace,
 * exactly what {@code value.trim().split("\\s+")} gives, without compiling that regex on every token request.
 */
public final class ScopeStrings {

    private ScopeStrings() {
    }

    /** The values in order (duplicates kept); empty for null or blank. */
    public static List<String> split(String value) {
        if (value == null) {
            return List.of();
        }
        // trim() also strips other control characters at the ends, as the regex version did
        List<String> values = Tokens.split(value.trim(), false);
        return values.isEmpty() ? List.of() : List.copyOf(values);
    }
}
