package io.mintgate.authorizer.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;

/** The remembered id is a hint: a renamed, deleted or replaced owner is found (or not) as Keycloak says now. */
class OwnerLookupTest {

    private final String realmId = "realm-" + UUID.randomUUID();
    /** id -> username */
    private final Map<String, String> users = new LinkedHashMap<>();
    private int usernameLookups;
    private final RealmModel realm = proxy(RealmModel.class, (name, args) -> name.equals("getId") ? realmId : null);
    private final KeycloakSession session = proxy(KeycloakSession.class, (name, args) ->
            name.equals("users") ? proxy(UserProvider.class, this::users) : null);

    @Test
    void rememberedOwnersAreStillCheckedAgainstTheUserStore() {
        String alice = add("alice");
        assertEquals(alice, OwnerLookup.find(session, realm, "alice").getId());
        assertEquals(alice, OwnerLookup.find(session, realm, "alice").getId());
        assertEquals(1, usernameLookups, "the second lookup goes by id");

        users.put(alice, "alice-old"); // renamed, and someone else takes the name
        String newAlice = add("alice");
        assertEquals(newAlice, OwnerLookup.find(session, realm, "alice").getId());

        users.remove(newAlice); // deleted
        assertNull(OwnerLookup.find(session, realm, "alice"));
        assertNull(OwnerLookup.find(session, realm, "nobody"));
    }

    private String add(String username) {
        String id = UUID.randomUUID().toString();
        users.put(id, username);
        return id;
    }

    private Object users(String method, Object[] args) {
        return switch (method) {
            case "getUserById" -> user((String) args[1]);
            case "getUserByUsername" -> {
                usernameLookups++;
                yield users.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase((String) args[1]))
                        .map(e -> user(e.getKey())).findFirst().orElse(null);
            }
            default -> throw new UnsupportedOperationException(method);
        };
    }

    private UserModel user(String id) {
        String username = users.get(id);
        return username == null ? null : proxy(UserModel.class, (name, args) -> switch (name) {
            case "getId" -> id;
            case "getUsername" -> username;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(OwnerLookupTest.class.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    case "toString" -> type.getSimpleName();
                    default -> answer.answer(method.getName(), args);
                });
    }
}
