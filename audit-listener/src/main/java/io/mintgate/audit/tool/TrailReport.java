package io.mintgate.audit.tool;

import java.util.List;

/**
 * What verify found, chain by chain, and how it prints it.
 *
 * @param chains            one entry per chain, in the order the chains first appear in the export
 * @param signaturesChecked whether a key was given
 * @param allowance         the unsigned tail allowed
 */
public record TrailReport(List<Chain> chains, boolean signaturesChecked, UnsignedTailAllowance allowance) {

    /**
     * @param result      the chain's outcome
     * @param legacyFirst how many records without a chain id (written before chain ids) lead this chain
     */
    public record Chain(ChainVerifier.Result result, long legacyFirst) {
        String name() {
            return result.chain() == null ? "(no chain id)" : result.chain();
        }
    }

    /** Verified: at least one record, and every chain passed. */
    public boolean ok() {
        return !chains.isEmpty() && chains.stream().allMatch(c -> c.result().ok());
    }

    public long failed() {
        return chains.stream().filter(c -> !c.result().ok()).count();
    }

    /** The report: a summary line, then one line per chain. */
    public List<String> lines(String file) {
        long records = 0, checkpoints = 0, signatures = 0;
        for (Chain c : chains) {
            records += c.result().records();
            checkpoints += c.result().checkpoints();
            signatures += c.result().signaturesVerified();
        }
        String count = counted(chains.size(), "chain");
        String summary = ok()
                ? "OK " + file + ": " + count + ", " + counted(records, "record") + ", "
                        + counted(checkpoints, "checkpoint") + ", " + counted(signatures, "signature") + " verified"
                        + (signaturesChecked ? "" : " (no --jwk given: checkpoint signatures NOT checked, and nothing "
                        + "shows whether records were cut off or re-chained)")
                : chains.isEmpty() ? "FAILED " + file + ": the export holds no records"
                : "FAILED " + file + ": " + failed() + " of " + count + " failed";
        List<String> lines = new java.util.ArrayList<>();
        lines.add(summary);
        for (Chain c : chains) {
            lines.add(line(c));
        }
        return lines;
    }

    private String line(Chain c) {
        ChainVerifier.Result r = c.result();
        String head = "chain " + c.name() + ": ";
        if (!r.ok()) {
            return head + "FAILED: record seq " + r.seq() + " id " + r.id() + " is "
                    + r.problem().name().toLowerCase().replace('_', ' ') + ": " + r.message();
        }
        StringBuilder line = new StringBuilder(head).append("OK: ").append(counted(r.records(), "record"))
                .append(" (").append(SeqRange.of(r.firstSeq(), r.lastSeq())).append("), ")
                .append(counted(r.checkpoints(), "checkpoint")).append(", ")
                .append(counted(r.signaturesVerified(), "signature")).append(" verified");
        if (r.duplicates() > 0) {
            line.append(", ").append(r.duplicates())
                    .append(r.duplicates() == 1 ? " duplicate delivery ignored" : " duplicate deliveries ignored");
        }
        if (c.legacyFirst() > 0) {
            line.append(", the first ").append(counted(c.legacyFirst(), "record")).append(" from before chain ids");
        }
        UnsignedTail tail = r.tail();
        line.append("; unsigned tail: ").append(tail.describe());
        if (!tail.isEmpty()) {
            line.append(signaturesChecked ? ", allowed by --allow-unsigned-tail " + allowance.describe()
                    : " (records after the last checkpoint; not judged without --jwk)");
        }
        return line.toString();
    }

    static String counted(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
