package io.mintgate.authorizer.keycloak.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mintgate.authorizer.keycloak.context.NhiAttributes;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;

/** Whatever wrote the owner, a save leaves the id of the person it names; anything else is left as written. */
class OwnerBindingTest {

    /** id -> username */
    private final Map<String, String> users = new HashMap<>(Map.of("id-alice", "alice", "id-robot", "service-account-ci"));
    private final Set<String> serviceAccounts = Set.of("id-robot");
    private final Map<String, String> attributes = new HashMap<>();
    private final RealmModel realm = proxy(RealmModel.class, (name, args) -> switch (name) {
        case "getName" -> "acme";
        case "getClientsStream" -> List.of(client()).stream();
        default -> null;
    });
    private final KeycloakSession session = proxy(KeycloakSession.class, (name, args) ->
            name.equals("users") ? proxy(UserProvider.class, this::users) : null);

    @Test
    void aUsernameIsSavedAsTheIdOfItsUser() {
        attributes.put(NhiAttributes.OWNER, "alice");
        OwnerBinding.bind(session, client());
        assertThat(attributes).containsEntry(NhiAttributes.OWNER, "id-alice");
    }

    @Test
    void anIdAValueNamingNobodyAndAServiceAccountAreLeftAsWritten() {
        for (String value : List.of("id-alice", "id-of-a-deleted-owner", "service-account-ci")) {
            attributes.put(NhiAttributes.OWNER, value);
            OwnerBinding.bind(session, client());
            assertThat(attributes).containsEntry(NhiAttributes.OWNER, value);
        }
    }

    @Test
    void afterARealmImportTheImportedClientsAreBound() {
        attributes.put(NhiAttributes.OWNER, "alice");
        OwnerBinding.onEvent(new RealmModel.RealmPostCreateEvent() {
            @Override
            public RealmModel getCreatedRealm() {
                return realm;
            }

            @Override
            public KeycloakSession getKeycloakSession() {
                return session;
            }
        });
        assertThat(attributes).containsEntry(NhiAttributes.OWNER, "id-alice");
    }

    private ClientModel client() {
        return proxy(ClientModel.class, (name, args) -> switch (name) {
            case "getAttribute" -> attributes.get((String) args[0]);
            case "setAttribute" -> attributes.put((String) args[0], (String) args[1]);
            case "getRealm" -> realm;
            case "getClientId" -> "ci-deployer";
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private Object users(String method, Object[] args) {
        return switch (method) {
            case "getUserById" -> user((String) args[1]);
            case "getUserByUsername" -> users.entrySet().stream().filter(e -> e.getValue().equals(args[1]))
                    .map(e -> user(e.getKey())).findFirst().orElse(null);
            default -> throw new UnsupportedOperationException(method);
        };
    }

    private UserModel user(String id) {
        return !users.containsKey(id) ? null : proxy(UserModel.class, (name, args) -> switch (name) {
            case "getId" -> id;
            case "getUsername" -> users.get(id);
            case "getServiceAccountClientLink" -> serviceAccounts.contains(id) ? "client" : null;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(OwnerBindingTest.class.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    case "toString" -> type.getSimpleName();
                    default -> answer.answer(method.getName(), args);
                });
    }
}
