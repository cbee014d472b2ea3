package io.mintgate.audit.spool;

import io.mintgate.audit.chain.HashChain;
import io.mintgate.audit.keycloak.EventRecordMapper;
import io.mintgate.audit.record.AuditKind;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.record.RecordEncoder;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * What one token request costs the audit listener, without the disk: mapping the Keycloak event to a record (request
 * thread), then chaining, hashing and framing it (spool writer thread). The JFR profiles of the server attribute
 * most of the listener's allocation to these steps; run with {@code -prof gc} to see B/op. {@code event} picks the
 * Keycloak event: a client_credentials {@code CLIENT_LOGIN}, or the two events of an authorization_code flow (the
 * browser's {@code LOGIN}, without a Mintgate decision, and the {@code CODE_TO_TOKEN} the authorizer decided).
 * Run: {@code java -cp <test classpath> org.openjdk.jmh.Main RecordPathBenchmark -f 1 -wi 2 -i 3 -prof gc}
 * (add {@code -p event=CODE_TO_TOKEN} for one event only; {@code -p chainId=uuid} for the spool's encoding only)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordPathBenchmark {
    @Param({"CLIENT_LOGIN", "CODE_TO_TOKEN", "LOGIN"})
    public String event;

    private EventRecordMapper mapper;
    private Event keycloakEvent;
    private AuditRecord record;
    private HashChain chain;
    private ByteBuffer buffer;
    /** {@code uuid}: a chain id as a spool generates it, in every record (what the spool writes); {@code none}: without. */
    @Param({"uuid", "none"})
    public String chainId;

    private RecordEncoder encoder;
    private final CRC32C crc = new CRC32C();

    @Setup
    public void setUp() {
        encoder = "none".equals(chainId) ? new RecordEncoder() : new RecordEncoder("7d3c6f0e-5b1a-4c1e-9a43-0f6a2b1c9d8e");
        mapper = new EventRecordMapper(EnumSet.allOf(AuditKind.class));
        keycloakEvent = switch (event) {
            case "CLIENT_LOGIN" -> tokenIssuedEvent();
            case "CODE_TO_TOKEN" -> codeToTokenEvent();
            case "LOGIN" -> browserLoginEvent();
            default -> throw new IllegalArgumentException(event);
        };
        record = mapper.map(keycloakEvent).orElseThrow();
        chain = new HashChain(0, HashChain.GENESIS);
        buffer = ByteBuffer.allocate(1 << 20);
    }

    /** A client_credentials CLIENT_LOGIN as Keycloak 26.7.3 reports it, with the authorizer's decision details. */
    static Event tokenIssuedEvent() {
        Event e = new Event();
        e.setId("0b6f1c52-3f3e-4a9e-9d55-6a1d2a7c9e41");
        e.setTime(1_795_000_000_123L);
        e.setType(EventType.CLIENT_LOGIN);
        e.setRealmId("5d1f3a0e-1d7b-4c55-b5a4-3d8f0f7b2c11");
        e.setRealmName("acme");
        e.setClientId("orders-batch");
        e.setUserId("8e2b7d94-55c1-4f0e-a1f3-2c9b6d4e7a10");
        e.setIpAddress("10.20.30.40");
        Map<String, String> d = new LinkedHashMap<>();
        d.put("grant_type", "client_credentials");
        d.put("client_auth_method", "client-secret");
        d.put("scope", "profile email orders:read");
        d.put("audience", "orders-api");
        d.put("token_id", "onrtcc:3c8f8d7e-1b2a-4c5d-9e8f-0a1b2c3d4e5f");
        d.put("username", "service-account-orders-batch");
        d.put("refresh_token_type", "Refresh");
        d.put("access_token_expiration_time", "300");
        d.put("mintgate_decision_id", "9f6c2a1e-7b3d-4e8f-a0c5-1d2e3f4a5b6c");
        d.put("mintgate_rule", "batch-jobs-read-only");
        d.put("mintgate_reason", "within policy");
        d.put("mintgate_mode", "enforce");
        d.put("mintgate_outcome", "allow");
        d.put("mintgate_policy_version", "v12");
        d.put("mintgate_narrowed", "false");
        d.put("mintgate_shadow_denials", "");
        d.put("mintgate_nhi_owner", "alice");
        d.put("mintgate_nhi_purpose", "nightly order export");
        d.put("mintgate_nhi_expires_at", "2027-01-31T00:00:00Z");
        e.setDetails(d);
        return e;
    }

    /** An authorization_code exchange as Keycloak 26.7.3 reports it, with the authorizer's decision details. */
    static Event codeToTokenEvent() {
        Event e = new Event();
        e.setId("5a0e9c7d-2b4f-4d1e-8c3a-7f6e5d4c3b2a");
        e.setTime(1_795_000_000_456L);
        e.setType(EventType.CODE_TO_TOKEN);
        e.setRealmId("5d1f3a0e-1d7b-4c55-b5a4-3d8f0f7b2c11");
        e.setRealmName("acme");
        e.setClientId("web-portal");
        e.setSessionId("d3c2b1a0-9f8e-4d7c-b6a5-948372615f0e");
        e.setUserId("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
        e.setIpAddress("192.168.7.21");
        Map<String, String> d = new HashMap<>();
        d.put("grant_type", "authorization_code");
        d.put("code_id", "d3c2b1a0-9f8e-4d7c-b6a5-948372615f0e");
        d.put("token_id", "onrtac:7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9");
        d.put("refresh_token_id", "2f3e4d5c-6b7a-4988-a7b6-c5d4e3f2a1b0");
        d.put("refresh_token_type", "Refresh");
        d.put("scope", "openid profile email");
        d.put("client_auth_method", "client-secret");
        d.put("username", "alice");
        d.put("redirect_uri", "https://portal.acme.example/callback");
        d.put("access_token_expiration_time", "300");
        d.put("mintgate_decision_id", "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d");
        d.put("mintgate_rule", "staff-portal");
        d.put("mintgate_reason", "within policy");
        d.put("mintgate_mode", "enforce");
        d.put("mintgate_outcome", "allow");
        d.put("mintgate_policy_version", "v12");
        d.put("mintgate_narrowed", "false");
        d.put("mintgate_shadow_denials", "");
        e.setDetails(d);
        return e;
    }

    /** The browser login that hands out the code of the same flow: no grant_type, no Mintgate decision. */
    static Event browserLoginEvent() {
        Event e = new Event();
        e.setId("8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a");
        e.setTime(1_795_000_000_321L);
        e.setType(EventType.LOGIN);
        e.setRealmId("5d1f3a0e-1d7b-4c55-b5a4-3d8f0f7b2c11");
        e.setRealmName("acme");
        e.setClientId("web-portal");
        e.setSessionId("d3c2b1a0-9f8e-4d7c-b6a5-948372615f0e");
        e.setUserId("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
        e.setIpAddress("192.168.7.21");
        Map<String, String> d = new HashMap<>();
        d.put("auth_method", "openid-connect");
        d.put("auth_type", "code");
        d.put("response_type", "code");
        d.put("response_mode", "query");
        d.put("redirect_uri", "https://portal.acme.example/callback?from=%2Forders");
        d.put("consent", "no_consent_required");
        d.put("code_id", "d3c2b1a0-9f8e-4d7c-b6a5-948372615f0e");
        d.put("username", "alice");
        d.put("authSessionParentId", "d3c2b1a0-9f8e-4d7c-b6a5-948372615f0e");
        d.put("authSessionTabId", "qXj2V7mZt1Q");
        e.setDetails(d);
        return e;
    }

    /** Request thread: Keycloak event to record. */
    @Benchmark
    public Object mapEvent() {
        return mapper.map(keycloakEvent).orElseThrow();
    }

    /** Spool writer thread: hash chain and frame, per record. */
    @Benchmark
    public int chainAndFrame() {
        buffer.clear();
        return chainAndFrame(record);
    }

    /** Both, as one token request. */
    @Benchmark
    public int tokenRequest() {
        buffer.clear();
        return chainAndFrame(mapper.map(keycloakEvent).orElseThrow());
    }

    /** What Spool.writeRecord does per record, minus the file. */
    private int chainAndFrame(AuditRecord r) {
        HashChain.Link link = chain.seal(r, encoder);
        RecordEncoder.Bytes payload = encoder.payloadBytes();
        Frame.write(buffer, crc, link.seq(), 1_795_000_000_200L, payload.array(), payload.length());
        return buffer.position();
    }
}
