package io.mintgate.authorizer.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a replay found, as counts with a few example decision ids per bucket; {@link #toMap()} is the JSON answer of
 * the REST endpoint and the CLI (docs/changing-policy.md, "Replay"). Every record read lands in exactly one of
 * {@code skipped}, {@code notReplayable}, {@code unchanged} or one of the three changes.
 */
public final class ReplayReport {

    /** Example decision ids kept per bucket. */
    static final int EXAMPLES = 5;

    /** How a replayed decision differs from the recorded one. */
    public enum Change {
        ALLOW_TO_DENY("allowToDeny"), DENY_TO_ALLOW("denyToAllow"), NARROWING_CHANGED("narrowingChanged");

        final String member;

        Change(String member) {
            this.member = member;
        }
    }

    private final String policyVersion;
    private final Instant from;
    private final Instant to;
    private final String realm;
    private long read;
    private long unchanged;
    private final Map<Change, Bucket> changes = new LinkedHashMap<>();
    private final Bucket notReplayable = new Bucket();
    private final Map<String, Long> notReplayableReasons = new TreeMap<>();
    private final Bucket skipped = new Bucket();
    private final Map<String, Long> skippedReasons = new TreeMap<>();
    /** obligation member ({@code keepScopes}, ...) → narrowing changes in which it differs */
    private final Map<String, Long> narrowedMembers = new TreeMap<>();
    /** rule → bucket member → count */
    private final Map<String, Map<String, Long>> byRule = new TreeMap<>();
    /** client → bucket member → count */
    private final Map<String, Map<String, Long>> byClient = new TreeMap<>();

    ReplayReport(String policyVersion, Instant from, Instant to, String realm) {
        this.policyVersion = policyVersion;
        this.from = from;
        this.to = to;
        this.realm = realm;
        for (Change change : Change.values()) {
            changes.put(change, new Bucket());
        }
    }

    void read() {
        read++;
    }

    void skipped(String reason, String decisionId) {
        skipped.add(decisionId);
        skippedReasons.merge(reason, 1L, Long::sum);
    }

    void notReplayable(String decisionId, String client, Set<String> rules, Set<String> reasons) {
        notReplayable.add(decisionId);
        reasons.forEach(r -> notReplayableReasons.merge(r, 1L, Long::sum));
        rules.forEach(rule -> count(byRule, rule, "notReplayable"));
        count(byClient, client, "notReplayable");
    }

    void changed(Change change, String decisionId, String client, String rule) {
        changes.get(change).add(decisionId);
        if (rule != null && !rule.isEmpty()) {
            count(byRule, rule, change.member);
        }
        count(byClient, client, change.member);
    }

    /** Allowed by both, with other obligations: {@code members} are the obligations that differ. */
    void narrowingChanged(String decisionId, String client, Set<String> members) {
        changed(Change.NARROWING_CHANGED, decisionId, client, null);
        members.forEach(m -> narrowedMembers.merge(m, 1L, Long::sum));
    }

    void unchanged(String client) {
        unchanged++;
        count(byClient, client, "unchanged");
    }

    private static void count(Map<String, Map<String, Long>> table, String key, String member) {
        table.computeIfAbsent(key, k -> new TreeMap<>()).merge(member, 1L, Long::sum);
    }

    public long records() {
        return read;
    }

    public long unchanged() {
        return unchanged;
    }

    public long count(Change change) {
        return changes.get(change).count;
    }

    public List<String> examples(Change change) {
        return List.copyOf(changes.get(change).examples);
    }

    public long notReplayable() {
        return notReplayable.count;
    }

    public long skipped() {
        return skipped.count;
    }

    public Map<String, Long> skippedReasons() {
        return Map.copyOf(skippedReasons);
    }

    public Map<String, Long> notReplayableReasons() {
        return Map.copyOf(notReplayableReasons);
    }

    /** The counts of one rule ({@code allowToDeny}, {@code denyToAllow}, {@code notReplayable}), empty if none. */
    public Map<String, Long> rule(String name) {
        return Map.copyOf(byRule.getOrDefault(name, Map.of()));
    }

    /** The counts of one client ({@code unchanged}, the changes, {@code notReplayable}), empty if none. */
    public Map<String, Long> client(String clientId) {
        return Map.copyOf(byClient.getOrDefault(clientId, Map.of()));
    }

    /** The obligation members that differed in the narrowing changes, with how often. */
    public Map<String, Long> narrowedObligations() {
        return Map.copyOf(narrowedMembers);
    }

    /** The report as the JSON answer (members without a value left out). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("policyVersion", policyVersion);
        if (from != null) {
            out.put("from", from.toString());
        }
        if (to != null) {
            out.put("to", to.toString());
        }
        if (realm != null) {
            out.put("realm", realm);
        }
        out.put("records", read);
        out.put("replayed", unchanged + changes.values().stream().mapToLong(b -> b.count).sum());
        out.put("unchanged", unchanged);
        changes.forEach((change, bucket) -> out.put(change.member, bucket.toMap(null)));
        ((Map<String, Object>) out.get(Change.NARROWING_CHANGED.member)).put("obligations", narrowedMembers);
        out.put("notReplayable", notReplayable.toMap(notReplayableReasons));
        out.put("skipped", skipped.toMap(skippedReasons));
        out.put("byRule", byRule);
        out.put("byClient", byClient);
        return out;
    }

    /** A count and the first few decision ids counted. */
    private static final class Bucket {
        long count;
        final List<String> examples = new ArrayList<>(EXAMPLES);

        void add(String decisionId) {
            count++;
            if (decisionId != null && examples.size() < EXAMPLES) {
                examples.add(decisionId);
            }
        }

        Map<String, Object> toMap(Map<String, Long> reasons) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("count", count);
            out.put("examples", examples);
            if (reasons != null) {
                out.put("reasons", reasons);
            }
            return out;
        }
    }
}
