package io.mintgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileAttributionTest {

    private static final String HTTP = "java/lang/Thread.run;org/jboss/threads/EnhancedQueueExecutor$ThreadBody.run;";
    private static final String TOKEN = HTTP + "org/keycloak/protocol/oidc/TokenEndpoint.processGrantRequest;";
    private static final String POLICIES = TOKEN + "org/keycloak/services/clientpolicy/DefaultClientPolicyManager.triggerOnEvent;";
    private static final String CACHED_POLICIES = TOKEN
            + "io/mintgate/authorizer/keycloak/clientpolicy/CachingClientPolicyManager.triggerOnEvent;";
    private static final String EXECUTOR = POLICIES + "io/mintgate/authorizer/keycloak/enforce/IssuanceAuthorizerExecutor.executeOnEvent;";

    /** A tiny profile as async-profiler writes it (collapsed, slashes in class names), one stack per row and more. */
    private static final String COLLAPSED = String.join("\n",
            // the client-policy machinery on its own (Keycloak's own executors, condition checks)
            POLICIES + "org/keycloak/services/clientpolicy/condition/AnyClientCondition.applyPolicy 7",
            // Mintgate's manager stands in for Keycloak's: its own frames are the machinery, its executor's are not
            CACHED_POLICIES + "io/mintgate/authorizer/keycloak/clientpolicy/PolicyCache.forRealm 8",
            CACHED_POLICIES + "io/mintgate/authorizer/keycloak/enforce/IssuanceAuthorizerExecutor.executeOnEvent 9",
            // Mintgate's executor: request building, policy evaluation and the rest of it
            EXECUTOR + "io/mintgate/authorizer/keycloak/context/IssuanceRequests.forEvent;java/util/HashMap.put 11",
            EXECUTOR + "io/mintgate/authorizer/policy/PolicySet.evaluate;dev/cel/runtime/Interpreter.eval_[j] 13",
            EXECUTOR + "io/mintgate/authorizer/keycloak/enforce/IssuanceAuthorizerExecutor.lambda$executeOnEvent$0 2",
            // a PolicySet.evaluate outside the executor is not the executor's evaluation
            TOKEN + "io/mintgate/authorizer/policy/PolicySet.evaluate 3",
            TOKEN + "io/mintgate/authorizer/keycloak/enforce/IssuancePostProcessor.process;io/mintgate/authorizer/keycloak/IssuancePostProcessor$1.apply 5",
            TOKEN + "io/mintgate/authorizer/keycloak/mappers/NarrowingMapper.transformAccessToken 4",
            HTTP + "org/keycloak/events/EventBuilder.success;io/mintgate/audit/keycloak/MintgateAuditListener.onEvent 6",
            HTTP + "org/keycloak/transaction/Tx.commit;io/mintgate/audit/keycloak/AfterCommitAppend.commit 1",
            // the writer's and the shipper's threads (a lambda frame between Thread.run and the run loop)
            "java/lang/Thread.run;io/mintgate/audit/spool/Spool$$Lambda.0x00007f0000123456.run;"
                    + "io/mintgate/audit/spool/Spool.runWriter;sun/nio/ch/FileChannelImpl.force;fsync_[k] 17",
            "java/lang/Thread.run;io/mintgate/audit/ship/Shipper$$Lambda.0x00007f0000654321.run;"
                    + "io/mintgate/audit/ship/Shipper.run;io/mintgate/audit/sink/FileSink.write 19",
            // runWriter called deep in some other stack is not the writer thread
            "a;b;c;d;e;f;g;io/mintgate/audit/spool/Spool.runWriter 2",
            // Keycloak and the JVM without Mintgate
            TOKEN + "org/keycloak/jose/jws/JWSBuilder.sign;sun/security/rsa/RSACore.rsa 40",
            "start_thread;thread_native_entry;Thread::call_run;GangWorker::loop;G1ParTask::work 23",
            "",
            "io.mintgate.authorizer.keycloak.mappers.AudienceLimitMapper.transformAccessToken 1");

    @Test
    void countsTheSamplesOfEveryStackEachRowMatches() {
        ProfileAttribution.Profile p = ProfileAttribution.Profile.of(COLLAPSED.lines());

        assertEquals(7 + 8 + 9 + 11 + 13 + 2 + 3 + 5 + 4 + 6 + 1 + 17 + 19 + 2 + 40 + 23 + 1, p.totalSamples());
        Map<String, Long> rows = IntStream.range(0, ProfileAttribution.ROWS.size()).boxed().collect(Collectors.toMap(
                i -> ProfileAttribution.ROWS.get(i).label().replace("&nbsp;", "").split(" \\(")[0], i -> p.rowSamples()[i]));
        assertEquals(Map.ofEntries(
                Map.entry("client-policy machinery, without Mintgate's executor and conditions", 7L + 8),
                Map.entry("Mintgate executor", 9L + 11 + 13 + 2),
                Map.entry("of which request building", 11L),
                Map.entry("of which policy evaluation", 13L),
                Map.entry("Mintgate post-processor", 5L),
                // slashes or dots (async-profiler's "dot" option) alike
                Map.entry("Mintgate token mappers", 4L + 1),
                Map.entry("audit listener on the request thread", 6L + 1),
                Map.entry("audit writer thread", 17L),
                Map.entry("audit shipper thread(s)", 19L),
                Map.entry("all stacks with `io/mintgate` frames", 8L + 9 + 11L + 13 + 2 + 3 + 5 + 4 + 6 + 1 + 17 + 19 + 2 + 1),
                Map.entry("RSA signing", 40L)), rows);
    }

    @Test
    void tabulatesMicrosecondsPerTokenForBothServers(@TempDir Path dir) throws Exception {
        Path vanilla = Files.writeString(dir.resolve("profile-vanilla.collapsed"),
                POLICIES + "org/keycloak/services/clientpolicy/condition/AnyClientCondition.applyPolicy 300\n"
                        + TOKEN + "org/keycloak/jose/jws/JWSBuilder.sign 1700\n");
        Path mintgate = Files.writeString(dir.resolve("profile-mintgate.collapsed"), COLLAPSED);

        String table = ProfileAttribution.table("vanilla", ProfileAttribution.Profile.read(vanilla), 1000, 2100.0,
                "Mintgate", ProfileAttribution.Profile.read(mintgate), 100, 1900.0);
        List<String> lines = table.lines().toList();

        assertEquals("| what (µs of CPU per token) | vanilla | Mintgate | difference |", lines.get(0));
        assertEquals(4 + ProfileAttribution.ROWS.size(), lines.size());
        assertEquals("| server CPU from `/proc` over the same windows, for comparison | 2100.0 | 1900.0 | -200.0 |", lines.get(2));
        // 2000 samples of 1 ms over 1000 tokens; 171 over 100
        assertEquals("| all samples | 2000.0 | 1710.0 | -290.0 |", lines.get(3));
        assertTrue(lines.get(4).startsWith("| client-policy machinery") && lines.get(4).endsWith("| 300.0 | 150.0 | -150.0 |"),
                lines.get(4));
        assertTrue(lines.get(5).startsWith("| Mintgate executor") && lines.get(5).endsWith("| 0.0 | 350.0 | +350.0 |"), lines.get(5));
    }

    @Test
    void expressesBothServersCpuInRsaSignatures() {
        ProfileAttribution.Profile vanilla = ProfileAttribution.Profile.of(Stream.of(
                TOKEN + "org/keycloak/jose/jws/JWSBuilder.sign;sun/security/rsa/RSACore.rsa 50",
                TOKEN + "org/keycloak/protocol/oidc/TokenManager.createClientAccessToken 50"));
        ProfileAttribution.Profile mintgate = ProfileAttribution.Profile.of(COLLAPSED.lines());

        // vanilla: 100 samples over 50 in RSA = 2.000; Mintgate: 171 over 40 = 4.275, of which 101 with Mintgate frames
        assertEquals("**CPU in RSA signatures** (all samples over RSA signing samples, a measure the machine's speed "
                        + "changes cancel out of): V 2.000, M 4.275; **ratio V/M 0.468**; of M's, stacks with "
                        + "`io/mintgate` frames 2.525, the rest 1.750.",
                ProfileAttribution.perSignature("V", vanilla, "M", mintgate).strip());
        assertNull(ProfileAttribution.perSignature("V", ProfileAttribution.Profile.of(Stream.of(TOKEN + "x 5")), "M", mintgate));
    }

    @Test
    void aLineWithoutSampleCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProfileAttribution.Profile.of(List.of("a;b;c").stream()));
    }
}
