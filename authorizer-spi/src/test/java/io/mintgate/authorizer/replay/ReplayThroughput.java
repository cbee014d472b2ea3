package io.mintgate.authorizer.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.authorizer.policy.ClientInfo;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.DeferredList;
import io.mintgate.authorizer.policy.DeferredMap;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.NetworkInfo;
import io.mintgate.authorizer.policy.NhiInfo;
import io.mintgate.authorizer.policy.ObligationsJson;
import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.RequestCapture;
import io.mintgate.authorizer.policy.SubjectInfo;
import io.mintgate.authorizer.policy.bench.PolicyEngineBenchmark;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replay throughput (records/s, one thread): a trail of N records as the file sink writes them (envelope, hash
 * chain members, decision, details with the captured request), decided again with PolicyEngineBenchmark's 20-rule
 * policy as the draft. Run: {@code java -cp <test classpath> io.mintgate.authorizer.replay.ReplayThroughput [N] [rounds]}.
 */
public final class ReplayThroughput {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        PolicySet live = PolicyCompiler.compile(PolicyEngineBenchmark.POLICY);
        PolicySet draft = PolicyCompiler.compile(PolicyEngineBenchmark.POLICY.replace("duration('15m')", "duration('5m')"));
        List<String> trail = trail(live, n);
        long bytes = trail.stream().mapToLong(String::length).sum();
        System.out.printf("%d records, %d bytes per record on average%n", n, bytes / n);
        for (int round = 1; round <= rounds; round++) {
            TrailReplay replay = new TrailReplay(draft, null, null, "acme");
            long t0 = System.nanoTime();
            trail.forEach(replay::line);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("round %d: %.0f records/s (%d replayed, %d changed narrowing, %d not replayable, %d skipped)%n",
                    round, n / seconds, replay.report().unchanged() + replay.report().count(ReplayReport.Change.NARROWING_CHANGED)
                            + replay.report().count(ReplayReport.Change.ALLOW_TO_DENY)
                            + replay.report().count(ReplayReport.Change.DENY_TO_ALLOW),
                    replay.report().count(ReplayReport.Change.NARROWING_CHANGED), replay.report().notReplayable(),
                    replay.report().skipped());
        }
    }

    static List<String> trail(PolicySet live, int n) {
        List<String> lines = new ArrayList<>(n);
        Map<String, String> attributes = Map.of("mintgate.kind", "service", "mintgate.allowed-cidrs", "10.0.0.0/8");
        Instant start = Instant.parse("2026-03-01T10:00:00Z");
        for (int i = 0; i < n; i++) {
            Instant time = start.plusMillis(i * 10L);
            String client = "client-" + (i % 50);
            IssuanceRequest request = new IssuanceRequest("acme", time, "client_credentials",
                    new Grant("client_credentials", List.of("read", i % 3 == 0 ? "deploy" : "write", "profile", "email"),
                            List.of(i % 2 == 0 ? "deploy-api" : "billing-api"), List.of(), null),
                    new ClientInfo("4f6a1c0e-0000-4000-8000-0000000000" + (i % 50), client, "client-secret", false,
                            DeferredMap.ofKeyed(attributes::get, () -> attributes), DeferredList.of(() -> List.of("billing-reader")),
                            DeferredList.of(List::of)),
                    new SubjectInfo("9a0e1c0e-0000-4000-8000-0000000000" + (i % 50), "service-account-" + client, true, true,
                            DeferredMap.ofMultimap(Map::of), List.of("default-roles-acme", "offline_access"),
                            Map.of("account", List.of("view-profile")), DeferredList.of(List::of)),
                    null, new NetworkInfo("10.20.30." + (i % 250), "", ""), null, null,
                    new NhiInfo("7b1e1c0e-0000-4000-8000-000000000003", "alice", true, true,
                            Instant.parse("2027-01-01T00:00:00Z"), "deploys acme/app"));
            Decision decision = live.evaluate(request);
            ObjectNode record = TrailReplayTest.JSON.createObjectNode();
            record.put("specversion", "1.0").put("id", "kc-" + java.util.UUID.randomUUID()).put("source", "/realms/acme")
                    .put("type", decision.allowed() ? TrailReplay.TOKEN_ISSUED : TrailReplay.TOKEN_DENIED)
                    .put("time", time.toString()).put("subject", request.subject().id()).put("datacontenttype", "application/json");
            ObjectNode data = record.putObject("data").put("realm", "acme").put("clientId", client)
                    .put("subject", request.subject().id()).put("grantType", "client_credentials")
                    .put("sourceAddress", request.network().sourceAddress()).put("keycloakEventId", java.util.UUID.randomUUID().toString())
                    .put("keycloakEventType", decision.allowed() ? "CLIENT_LOGIN" : "CLIENT_LOGIN_ERROR");
            data.putObject("actor").put("clientId", client).put("realm", "acme").put("ipAddress", request.network().sourceAddress());
            data.putObject("decision").put("id", decision.id()).put("outcome", decision.allowed() ? "allow" : "deny")
                    .put("mode", "enforce").put("policyVersion", live.version());
            ObjectNode details = data.putObject("details").put("grant_type", "client_credentials")
                    .put("client_auth_method", "client-secret").put("scope", String.join(" ", request.grant().scopes()))
                    .put("mintgate_request", RequestCapture.encode(request));
            if (decision.allowed() && !decision.obligations().isEmpty()) {
                details.put("mintgate_obligations", ObligationsJson.write(decision.obligations(), decision.id()));
            }
            record.put("mintgatechain", "kc-0").put("mintgateseq", i + 1).put("mintgateprev", "0".repeat(64))
                    .put("mintgatehash", "f".repeat(64));
            lines.add(record.toString());
        }
        return lines;
    }
}
