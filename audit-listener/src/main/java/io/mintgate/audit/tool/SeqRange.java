package io.mintgate.audit.tool;

/** How verify names a run of seqs: {@code seq 5} for one record, {@code seq 5..7} for several. */
final class SeqRange {
    private SeqRange() {
    }

    static String of(long first, long last) {
        return first == last ? "seq " + first : "seq " + first + ".." + last;
    }

    /** {@code record seq 5 is} / {@code records seq 5..7 (3 records) are}. */
    static String subject(long first, long last) {
        return first == last ? "record seq " + first + " is" : "records seq " + first + ".." + last + " ("
                + (last - first + 1) + " records) are";
    }
}
