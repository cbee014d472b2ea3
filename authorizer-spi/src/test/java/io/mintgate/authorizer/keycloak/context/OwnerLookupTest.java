package io.mintgate.authorizer.keycloak.context;

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

/** The owner is a person: found by id at mint, so a rename keeps them and a new user with the old name is nobody. */
class OwnerLookupTest {

    private final String realmId = "realm-" + UUID.randomUUID();
    /** id -> username */
    private final Map<String, String> users = new LinkedHashMap<>();
    private final java.util.Set<String> serviceAccounts = new java.util.HashSet<>();
    /** id -> username of users of another realm that the id lookup still returns */
    private final Map<String, String> foreign = new LinkedHashMap<>();
    private final RealmModel realm = proxy(RealmModel.class, (name, args) -> name.equals("getId") ? realmId : null);
    private final KeycloakSession session = proxy(KeycloakSession.class, (name, args) ->
            name.equals("users") ? proxy(UserProvider.class, this::users) : null);

    @Test
    void atMintTheOwnerIsFoundByIdAloneThroughRenamesAndNotThroughAReusedName() {
        String alice = add("alice");
        assertEquals(alice, OwnerLookup.byId(session, realm, alice).getId());
        assertNull(OwnerLookup.byId(session, realm, "alice"), "a username names nobody at mint");

        users.put(alice, "alice-renamed");
        assertEquals("alice-renamed", OwnerLookup.byId(session, realm, alice).getUsername());

        users.remove(alice); // deleted, and someone else takes the name
        add("alice");
        assertNull(OwnerLookup.byId(session, realm, alice));
    }

    @Test
    void whenSavingAnOwnerTheValueIsAnIdOrElseAUsernameOfAPerson() {
        String alice = add("alice");
        assertEquals(alice, OwnerLookup.person(session, realm, alice).getId());
        assertEquals(alice, OwnerLookup.person(session, realm, " alice ").getId());
        String robot = add("service-account-ci");
        serviceAccounts.add(robot);
        assertNull(OwnerLookup.person(session, realm, "service-account-ci"), "a service account is not a person");
        assertNull(OwnerLookup.person(session, realm, "nobody"));
    }

    @Test
    void aUserOfAnotherRealmThatKeycloakReturnsByIdIsNoPersonOfThisRealm() {
        // Keycloak's cache answers an id lookup from the session's loaded users, whatever their realm
        String masterAdmin = UUID.randomUUID().toString();
        foreign.put(masterAdmin, "admin");
        assertNull(OwnerLookup.person(session, realm, masterAdmin));
        String localAdmin = add("admin"); // a user of this realm with the same username is not them either
        assertEquals(localAdmin, OwnerLookup.person(session, realm, "admin").getId());
        assertNull(OwnerLookup.person(session, realm, masterAdmin));
    }

    private String add(String username) {
        String id = UUID.randomUUID().toString();
        users.put(id, username);
        return id;
    }

    private Object users(String method, Object[] args) {
        return switch (method) {
            case "getUserById" -> foreign.containsKey((String) args[1]) ? foreignUser((String) args[1]) : user((String) args[1]);
            case "getUserByUsername" -> {
                yield users.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase((String) args[1]))
                        .map(e -> user(e.getKey())).findFirst().orElse(null);
            }
            default -> throw new UnsupportedOperationException(method);
        };
    }

    private UserModel foreignUser(String id) {
        return proxy(UserModel.class, (name, args) -> switch (name) {
            case "getId" -> id;
            case "getUsername" -> foreign.get(id);
            case "getServiceAccountClientLink" -> null;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private UserModel user(String id) {
        return users.get(id) == null ? null : proxy(UserModel.class, (name, args) -> switch (name) {
            case "getId" -> id;
            case "getUsername" -> users.get(id);
            case "getServiceAccountClientLink" -> serviceAccounts.contains(id) ? "client-id" : null;
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
