package io.mintgate.authorizer.policy.cel;

import static dev.cel.common.CelFunctionDecl.newFunctionDeclaration;
import static dev.cel.common.CelOverloadDecl.newGlobalOverload;
import static dev.cel.common.CelOverloadDecl.newMemberOverload;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import io.mintgate.authorizer.policy.Tokens;
import java.time.Instant;
import java.util.List;

/** Functions CEL lacks that issuance policies need: CIDR and glob matching, local time windows, list parsing. */
public final class MintgateFunctions {

    private static final CelType STRING = SimpleType.STRING;
    private static final CelType BOOL = SimpleType.BOOL;
    private static final CelType INT = SimpleType.INT;
    private static final CelType TIMESTAMP = SimpleType.TIMESTAMP;
    private static final CelType STRINGS = ListType.create(SimpleType.STRING);

    public static final List<CelFunctionDecl> DECLARATIONS = List.of(
            newFunctionDeclaration("inCidr",
                    newMemberOverload("string_in_cidr_string", BOOL, STRING, STRING),
                    newMemberOverload("string_in_cidr_list", BOOL, STRING, STRINGS)),
            newFunctionDeclaration("globMatch",
                    newGlobalOverload("glob_match_string_string", BOOL, STRING, STRING),
                    newGlobalOverload("glob_match_list_string", BOOL, STRINGS, STRING)),
            newFunctionDeclaration("allGlobMatch",
                    newGlobalOverload("all_glob_match_list_list", BOOL, STRINGS, STRINGS)),
            newFunctionDeclaration("splitList",
                    newMemberOverload("string_split_list", STRINGS, STRING)),
            newFunctionDeclaration("withinHours",
                    newGlobalOverload("within_hours_timestamp_string_int_int", BOOL, TIMESTAMP, STRING, INT, INT)),
            newFunctionDeclaration("isWeekday",
                    newGlobalOverload("is_weekday_timestamp_string", BOOL, TIMESTAMP, STRING)));

    public static final List<CelFunctionBinding> BINDINGS = List.of(
            CelFunctionBinding.from("string_in_cidr_string", String.class, String.class,
                    (ip, cidr) -> Cidr.parse(cidr).contains(ip)),
            CelFunctionBinding.from("string_in_cidr_list", String.class, List.class,
                    (ip, cidrs) -> Cidr.anyContains(cidrs, ip)),
            CelFunctionBinding.from("glob_match_string_string", String.class, String.class, Glob::matches),
            CelFunctionBinding.from("glob_match_list_string", List.class, String.class,
                    (patterns, value) -> Glob.matchesAny(patterns, value)),
            CelFunctionBinding.from("all_glob_match_list_list", List.class, List.class, Glob::allMatchAny),
            CelFunctionBinding.from("string_split_list", String.class, MintgateFunctions::splitList),
            CelFunctionBinding.from("within_hours_timestamp_string_int_int",
                    List.of(Instant.class, String.class, Long.class, Long.class),
                    args -> TimeWindows.withinHours((Instant) args[0], (String) args[1], (Long) args[2], (Long) args[3])),
            CelFunctionBinding.from("is_weekday_timestamp_string", Instant.class, String.class, TimeWindows::isWeekday));

    private MintgateFunctions() {
    }

    /**
     * Splits an attribute such as "read, write deploy:*" on commas and whitespace, dropping empty items.
     * Hand-rolled rather than {@code String.split("[,\\s]+")}, which compiles a regex on every call.
     */
    static List<String> splitList(String text) {
        int slot = System.identityHashCode(text) & (SPLIT_CACHE_SIZE - 1);
        Split cached = SPLIT_CACHE[slot];
        if (cached != null && cached.text() == text) {
            return cached.items();
        }
        List<String> items = PreAdapted.list(List.copyOf(Tokens.split(text, true)));
        SPLIT_CACHE[slot] = new Split(text, items);
        return items;
    }

    /**
     * The last lists split, by the identity of their text. The text is nearly always a client attribute, which is the
     * same String instance on every request until the client is changed (Keycloak caches it), so splitting it again
     * per token is wasted; a changed attribute is a new instance and is split afresh. The array is read and written
     * without locks: a {@link Split} is immutable, so a thread sees a whole entry, another one, or none.
     */
    private static final int SPLIT_CACHE_SIZE = 64;
    private static final Split[] SPLIT_CACHE = new Split[SPLIT_CACHE_SIZE];

    private record Split(String text, List<String> items) {
    }
}
