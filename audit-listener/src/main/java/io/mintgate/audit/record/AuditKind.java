package io.mintgate.audit.record;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The kinds of events the {@code kinds} option can select; each maps to one CloudEvents type. */
public enum AuditKind {
    TOKEN_ISSUED(RecordType.TOKEN_ISSUED),
    TOKEN_DENIED(RecordType.TOKEN_DENIED),
    TOKEN_REVOKED(RecordType.TOKEN_REVOKED),
    NHI_CHANGED(RecordType.NHI_CHANGED);

    private final String type;

    AuditKind(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }

    /** Option spelling: token-issued, token-denied, token-revoked, nhi-changed. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Set<AuditKind> parseList(String csv) {
        if (csv == null || csv.isBlank() || csv.trim().equalsIgnoreCase("all")) {
            return EnumSet.allOf(AuditKind.class);
        }
        EnumSet<AuditKind> kinds = EnumSet.noneOf(AuditKind.class);
        Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .forEach(s -> kinds.add(valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'))));
        return kinds;
    }
}
