package io.mintgate.audit.keycloak;

import io.mintgate.audit.chain.HashChain;
import io.mintgate.audit.record.AccessData;
import io.mintgate.audit.record.AuditKind;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.record.NhiFacts;
import io.mintgate.audit.record.RecordEncoder;
import org.junit.jupiter.api.Test;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-pass mapper ({@link EventRecordMapper} with {@link EventDetails}) must map every event exactly as the
 * mapper it replaced ({@link LegacyEventRecordMapper}): the same record, the details in the same iteration order, the
 * same canonical and payload bytes, and the same exception where the old one threw.
 */
class EventMappingEquivalenceTest {

    private static final String[] KEYS = {
            // allow-listed, typed
            "grant_type", "response_type", "username", "scope", "audience", "token_id", "access_token_expiration_time",
            // allow-listed, untyped (two URIs)
            "redirect_uri", "code_id", "client_auth_method", "refresh_token_type", "reason", "consent",
            "logout_triggered_by_action_token",
            // Mintgate
            "mintgate_decision_id", "mintgate_rule", "mintgate_reason", "mintgate_mode", "mintgate_outcome",
            "mintgate_policy_version", "mintgate_narrowed", "mintgate_shadow_denials", "mintgate_nhi_owner",
            "mintgate_nhi_purpose", "mintgate_nhi_expires_at", "mintgate_future_key",
            // never kept
            "password", "client_secret", "code", "access_token", "authSessionParentId", "some_new_detail"};

    private static final String[] VALUES = {
            "", " ", "client_credentials", "authorization_code", "code", "Code", "token", "id_token token",
            "code id_token", " code\t", "code code", "none", "openid profile email", "  a ,b  c, ", "orders-api,billing",
            "\u2028", "\t", "alice", "300", " 42 ", "x300", "-1", "9223372036854775808", "allow", "deny", "DENY",
            " deny", "narrow", "true", "false", " true ", "rule-1,\"rule-2\", rule-3", "[\"a\",\"b\"]", "[]", "\"",
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "Bearer abc", "basic x", "https://app/cb",
            "https://app/cb?code=abc&state=1", "https://app/cb#access_token=x", "https://app/cb?x=1", "a&b", "?",
            "Grüße 東京 \uD83D\uDE80", "2027-01-31T00:00:00Z", "nightly export"};

    private static final EventType[] TYPES = EventType.values();

    @Test
    void theOnePassMapperMapsRandomEventsExactlyAsTheOldOne() {
        SplittableRandom random = new SplittableRandom(7);
        EventRecordMapper current = new EventRecordMapper(EnumSet.allOf(AuditKind.class));
        LegacyEventRecordMapper legacy = new LegacyEventRecordMapper(EnumSet.allOf(AuditKind.class));
        int mapped = 0;
        for (int i = 0; i < 60_000; i++) {
            Event event = randomEvent(random);
            NhiFacts nhi = random.nextInt(4) == 0 ? new NhiFacts("o", null, "p") : null;
            Optional<AuditRecord> expected;
            try {
                expected = legacy.map(event, nhi);
            } catch (RuntimeException e) {
                Class<? extends RuntimeException> thrown = e.getClass();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> current.map(event, nhi))
                        .as("%s", describe(event)).isExactlyInstanceOf(thrown);
                continue;
            }
            Optional<AuditRecord> actual = current.map(event, nhi);
            assertSame(expected, actual, event);
            mapped += actual.isPresent() ? 1 : 0;
        }
        assertThat(mapped).as("records compared").isGreaterThan(20_000);
    }

    @Test
    void onlySomeKindsSelectedStillMapsAsTheOldOne() {
        SplittableRandom random = new SplittableRandom(8);
        for (AuditKind kind : AuditKind.values()) {
            EventRecordMapper current = new EventRecordMapper(EnumSet.of(kind));
            LegacyEventRecordMapper legacy = new LegacyEventRecordMapper(EnumSet.of(kind));
            for (int i = 0; i < 3_000; i++) {
                Event event = randomEvent(random);
                Optional<AuditRecord> expected;
                try {
                    expected = legacy.map(event);
                } catch (RuntimeException e) {
                    continue;
                }
                assertSame(expected, current.map(event), event);
            }
        }
    }

    @Test
    void classificationAndClientChangesByTypeAsTheOrderedSets() {
        for (EventType type : TYPES) {
            for (Map<String, String> details : List.<Map<String, String>>of(Map.of(),
                    Map.of("mintgate_outcome", "deny"), Map.of("mintgate_outcome", "Deny", "mintgate_decision_id", "d"),
                    Map.of("mintgate_decision_id", "d"), Map.of("mintgate_outcome", "allow"),
                    Map.of("mintgate_rule", "r"))) {
                for (String error : new String[]{null, "invalid_grant"}) {
                    Event event = new Event();
                    event.setType(type);
                    event.setDetails(new HashMap<>(details));
                    event.setError(error);
                    assertThat(EventRecordMapper.classify(event)).as("%s %s %s", type, details, error)
                            .isEqualTo(LegacyEventRecordMapper.classify(event));
                    assertThat(EventRecordMapper.isClientChange(event)).isEqualTo(
                            LegacyEventRecordMapper.isClientChange(event));
                }
            }
        }
        Event untyped = new Event();
        assertThat(EventRecordMapper.classify(untyped)).isNull();
        assertThat(EventRecordMapper.isClientChange(untyped)).isFalse();
    }

    @Test
    void grantTypeFromResponseTypeAsTheOldSplit() {
        for (String responseType : new String[]{null, "", " ", "code", " code", "code ", "Code", "code\tid_token",
                "token", "id_token token", "code id_token token", "none", "code\u2028", "\u0001code"}) {
            for (EventType type : new EventType[]{EventType.LOGIN, EventType.LOGIN_ERROR, EventType.CODE_TO_TOKEN}) {
                Map<String, String> details = new HashMap<>();
                details.put("response_type", responseType);
                assertThat(EventRecordMapper.grantType(type, null, responseType)).as("%s [%s]", type, responseType)
                        .isEqualTo(LegacyEventRecordMapper.grantType(type, details));
            }
        }
        assertThat(EventRecordMapper.grantType(EventType.LOGIN, "password", "code")).isEqualTo("password");
    }

    /** The one intended difference from the old mapper, which threw on a response_type Keycloak accepts. */
    @Test
    void aRepeatedResponseTypePartNamesTheFlowInsteadOfFailingTheRequest() {
        assertThat(EventRecordMapper.grantType(EventType.LOGIN, null, "code code")).isEqualTo("authorization_code");
        assertThat(EventRecordMapper.grantType(EventType.LOGIN_ERROR, null, "code id_token code")).isEqualTo("hybrid");
        assertThat(EventRecordMapper.grantType(EventType.LOGIN, null, "token token")).isEqualTo("implicit");
    }

    private static void assertSame(Optional<AuditRecord> expected, Optional<AuditRecord> actual, Event event) {
        assertThat(actual.isPresent()).as("%s", describe(event)).isEqualTo(expected.isPresent());
        if (expected.isEmpty()) {
            return;
        }
        AuditRecord e = expected.get();
        AuditRecord a = actual.get();
        assertThat(a).as("%s", describe(event)).isEqualTo(e);
        AccessData ed = (AccessData) e.data();
        AccessData ad = (AccessData) a.data();
        // Map.equals ignores the order, the payload does not.
        assertThat(new ArrayList<>(ad.details().entrySet())).as("%s", describe(event))
                .containsExactlyElementsOf(new ArrayList<>(ed.details().entrySet()));
        assertThat(ad.details().getClass()).isEqualTo(ed.details().getClass());
        assertThat(ad.scopes().getClass()).isEqualTo(ed.scopes().getClass());
        assertThat(ad.audience().getClass()).isEqualTo(ed.audience().getClass());
        RecordEncoder encoder = new RecordEncoder();
        byte[] expectedCanonical = encoder.canonical(e, 3, HashChain.GENESIS).copy();
        byte[] expectedPayload = encoder.payload(e, 3, HashChain.GENESIS, HashChain.GENESIS).copy();
        assertThat(encoder.canonical(a, 3, HashChain.GENESIS).copy()).isEqualTo(expectedCanonical);
        assertThat(encoder.payload(a, 3, HashChain.GENESIS, HashChain.GENESIS).copy()).isEqualTo(expectedPayload);
    }

    private static Event randomEvent(SplittableRandom random) {
        Event e = new Event();
        int t = random.nextInt(TYPES.length + 8);
        // Token events more often than their share of the enum, and sometimes no type at all.
        EventType[] common = {EventType.CODE_TO_TOKEN, EventType.CLIENT_LOGIN, EventType.LOGIN, EventType.LOGIN_ERROR,
                EventType.REFRESH_TOKEN, EventType.CODE_TO_TOKEN_ERROR, EventType.LOGOUT};
        e.setType(t < TYPES.length ? TYPES[t] : t < TYPES.length + common.length ? common[t - TYPES.length] : null);
        e.setId(random.nextInt(10) == 0 ? null : "id-" + random.nextInt(1000));
        if (e.getId() == null) {
            e.setId(""); // a null id draws a random UUID on both sides; "" keeps the ids comparable
        }
        e.setTime(random.nextInt(5) == 0 ? random.nextLong() >> random.nextInt(64) : 1_795_000_000_000L
                + random.nextInt(5_000));
        e.setRealmId(random.nextBoolean() ? "realm-id" : null);
        e.setRealmName(random.nextBoolean() ? "acme" : null);
        e.setClientId(random.nextInt(5) == 0 ? null : "client-" + random.nextInt(3));
        e.setUserId(random.nextInt(3) == 0 ? null : "user-" + random.nextInt(3));
        e.setIpAddress(random.nextInt(4) == 0 ? null : "10.0.0." + random.nextInt(9));
        e.setError(random.nextInt(4) == 0 ? "invalid_grant" : null);
        int shape = random.nextInt(20);
        if (shape == 0) {
            e.setDetails(null);
            return e;
        }
        Map<String, String> details = shape == 1 ? new LinkedHashMap<>() : new HashMap<>();
        for (int n = random.nextInt(KEYS.length + 1); n > 0; n--) {
            String key = KEYS[random.nextInt(KEYS.length)];
            String value = random.nextInt(25) == 0 ? null : VALUES[random.nextInt(VALUES.length)];
            details.put(key, value);
        }
        if (random.nextInt(30) == 0) {
            details.put(null, "null key");
        }
        e.setDetails(details);
        return e;
    }

    private static String describe(Event e) {
        return e.getType() + " " + e.getError() + " " + e.getDetails();
    }
}
