package io.mintgate.audit.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Verifies an export chain by chain ({@link TrailSplit}, {@link ChainVerifier}) and, when a key is given, requires
 * every record of every chain to be covered by a valid signed checkpoint, beyond what {@code allowance} lets a live
 * trail's newest records lack: without that rule a trail cut short, or stripped of its checkpoints and re-chained,
 * would pass. Without a key signatures cannot prove anything, so the tail is reported but not judged.
 */
public final class TrailVerifier {
    private final ChainVerifier chains;
    private final UnsignedTailAllowance allowance;
    private final Clock clock;

    /** @param publicKeys the nodes' checkpoint keys (none: chains only, signatures and tails not judged) */
    public TrailVerifier(List<JWK> publicKeys, UnsignedTailAllowance allowance, Clock clock) {
        this.chains = new ChainVerifier(publicKeys);
        this.allowance = allowance;
        this.clock = clock;
    }

    public TrailReport verify(List<JsonNode> events) {
        if (events.isEmpty()) {
            return new TrailReport(List.of(), chains.checksSignatures(), allowance);
        }
        TrailSplit split = TrailSplit.of(events);
        List<TrailReport.Chain> results = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> chain : split.chains().entrySet()) {
            ChainVerifier.Result result = judgeTail(chains.verify(chain.getKey(), chain.getValue()));
            results.add(new TrailReport.Chain(result, split.legacyFirst().getOrDefault(chain.getKey(), 0L)));
        }
        return new TrailReport(results, chains.checksSignatures(), allowance);
    }

    private ChainVerifier.Result judgeTail(ChainVerifier.Result r) {
        if (!r.ok() || !chains.checksSignatures() || allowance.permits(r.tail(), clock.instant())) {
            return r;
        }
        UnsignedTail tail = r.tail();
        boolean one = tail.count() == 1;
        String range = one ? "record seq " + tail.firstSeq()
                : "records seq " + tail.firstSeq() + ".." + tail.lastSeq() + " (" + tail.count() + " records)";
        String which = tail.lastCheckpointSeq() > 0
                ? "the newest of the chain, after its last checkpoint (seq " + tail.lastCheckpointSeq() + ")"
                : "all of the chain in this export, which holds no checkpoint of it";
        String beyond = allowance.equals(UnsignedTailAllowance.NONE) ? ""
                : ", more than --allow-unsigned-tail " + allowance.describe() + " allows";
        return r.unsigned(range + ", " + which + ", " + (one ? "is" : "are") + " covered by no signed checkpoint "
                + "(oldest " + tail.oldestTime() + ")" + beyond + ". A trail whose newest records or checkpoints were "
                + "cut off or removed looks like this; a live trail does too until its next checkpoint "
                + "(see --allow-unsigned-tail)");
    }
}
