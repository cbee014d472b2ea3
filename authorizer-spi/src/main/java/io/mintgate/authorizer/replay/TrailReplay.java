package io.mintgate.authorizer.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mintgate.authorizer.policy.CapturedRequest;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.DecisionServices;
import io.mintgate.authorizer.policy.ObligationsJson;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.RequestCapture;
import io.mintgate.authorizer.policy.RuleFinding;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Impact replay: decides the requests recorded in an audit trail (the file sink's JSON lines) again with a draft
 * policy, by the same engine as the live path, and counts what would change ({@link ReplayReport}). Needs no
 * Keycloak: the record's captured request ({@code data.details.mintgate_request}) carries every fact the live
 * decision used, as it was then (the owner's status, the roles, the time).
 *
 * <p>What cannot be decided again faithfully is reported as not replayable, never guessed: a rule that asks a live
 * service (an AuthZEN PDP, an issuance budget) — the replay offers none, so such a check is not run — and a fact the
 * record did not capture because no live rule read it (a client's roles, a user's groups or attributes, a client
 * attribute key). Not thread-safe: one replay per instance.
 */
public final class TrailReplay {

    static final String TOKEN_ISSUED = "io.mintgate.token.issued";
    static final String TOKEN_DENIED = "io.mintgate.token.denied";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final PolicySet draft;
    private final Instant from;
    private final Instant to;
    private final String realm;
    private final ReplayReport report;

    /**
     * @param from  first record time included, or null
     * @param to    first record time excluded, or null
     * @param realm only this realm's records (by name), or null for all
     */
    public TrailReplay(PolicySet draft, Instant from, Instant to, String realm) {
        this.draft = draft;
        this.from = from;
        this.to = to;
        this.realm = realm;
        this.report = new ReplayReport(draft.version(), from, to, realm);
    }

    /** Replays one line of the trail (one record); blank lines are ignored. */
    public void line(String line) {
        if (line == null || line.isBlank()) {
            return;
        }
        report.read();
        TrailRecord record;
        try {
            record = TrailRecord.parse(line);
        } catch (IOException e) {
            report.skipped("not a JSON record", null);
            return;
        }
        replay(record);
    }

    private void replay(TrailRecord record) {
        String type = record.type == null ? "" : record.type;
        if (!TOKEN_ISSUED.equals(type) && !TOKEN_DENIED.equals(type)) {
            report.skipped("not an issuance decision (" + (type.isEmpty() ? "no type" : type) + ")", null);
            return;
        }
        if (realm != null && !realm.equals(record.realm)) {
            report.skipped("another realm", null);
            return;
        }
        if (from != null || to != null) {
            Instant time;
            try {
                time = Instant.parse(String.valueOf(record.time));
            } catch (DateTimeParseException e) {
                report.skipped("no readable time", null);
                return;
            }
            if ((from != null && time.isBefore(from)) || (to != null && !time.isBefore(to))) {
                report.skipped("outside the time window", null);
                return;
            }
        }
        String id = record.decisionId;
        String outcome = String.valueOf(record.outcome);
        if (id == null || !(outcome.equals("allow") || outcome.equals("deny"))) {
            report.skipped("no Mintgate decision", null);
            return;
        }
        if (record.request == null) {
            report.skipped("no captured request (recorded before capture, or a front-channel refusal)", id);
            return;
        }
        CapturedRequest request;
        try {
            request = RequestCapture.decode(record.request);
        } catch (IllegalArgumentException e) {
            report.skipped("captured request unreadable", id);
            return;
        }
        ServiceCalls services = new ServiceCalls();
        Decision replayed = draft.evaluate(request.request(), services);
        String client = record.clientId == null ? "" : record.clientId;
        if (!request.misses().isEmpty() || !services.asked.isEmpty()) {
            Set<String> rules = new LinkedHashSet<>();
            Set<String> reasons = new LinkedHashSet<>();
            for (String fact : request.misses()) {
                reasons.add("reads " + fact + ", not captured");
                rules.addAll(readers(fact));
            }
            if (!services.asked.isEmpty()) {
                reasons.add("asks a live service (" + String.join(", ", services.asked) + ")");
                for (RuleFinding finding : replayed.findings()) {
                    if (finding.error() && finding.rule() != null) {
                        rules.add(finding.rule());
                    }
                }
            }
            report.notReplayable(id, client, rules, reasons);
            return;
        }
        boolean wasAllowed = outcome.equals("allow");
        Set<String> differing;
        if (wasAllowed && !replayed.allowed()) {
            report.changed(ReplayReport.Change.ALLOW_TO_DENY, id, client, replayed.rule());
        } else if (!wasAllowed && replayed.allowed()) {
            report.changed(ReplayReport.Change.DENY_TO_ALLOW, id, client, record.rule);
        } else if (wasAllowed && !(differing = differingObligations(record.obligations, replayed)).isEmpty()) {
            report.narrowingChanged(id, client, differing);
        } else {
            report.unchanged(client);
        }
    }

    /** The obligation members ({@code keepScopes}, ...) whose value differs, empty when the narrowing is the same. */
    private static Set<String> differingObligations(String recorded, Decision replayed) {
        JsonNode before = recorded == null || recorded.isEmpty() ? MAPPER.createObjectNode() : ObligationsJson.read(recorded);
        JsonNode after = ObligationsJson.tree(replayed.obligations(), replayed.id());
        if (before.equals(after)) {
            return Set.of();
        }
        Set<String> members = new TreeSet<>();
        before.fieldNames().forEachRemaining(members::add);
        after.fieldNames().forEachRemaining(members::add);
        members.removeIf(m -> before.path(m).equals(after.path(m)));
        return members;
    }

    /** The draft's rules that read {@code fact} ({@code client.roles}), directly, whole, or through a variable. */
    private Set<String> readers(String fact) {
        Set<String> readers = new LinkedHashSet<>();
        String variable = fact.substring(0, fact.indexOf('.'));
        for (String rule : draft.ruleNames()) {
            Set<String> reads = draft.factsRead(rule);
            if (reads != null && (reads.contains(fact) || reads.contains(variable))) {
                readers.add(rule);
            }
        }
        return readers;
    }

    public ReplayReport report() {
        return report;
    }

    /** Offers no facility and remembers which were asked for: a PDP or budget check is not re-run from a trail. */
    private static final class ServiceCalls implements DecisionServices {
        private final Set<String> asked = new LinkedHashSet<>(1);

        @Override
        public <T> T facility(Class<T> type) {
            asked.add(type.getSimpleName());
            return null;
        }
    }
}
