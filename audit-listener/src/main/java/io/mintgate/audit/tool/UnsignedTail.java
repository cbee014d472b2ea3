package io.mintgate.audit.tool;

/**
 * The newest records of a chain that no checkpoint in the export vouches for: everything after the last checkpoint
 * record (all of the chain when it has none). A live trail always has one between two checkpoints; a trail cut short,
 * or stripped of its checkpoints and re-chained, looks exactly the same, which is why verify names it every time.
 *
 * @param count           records in it (0: the chain ends with a checkpoint)
 * @param firstSeq        seq of its oldest record (0 when empty)
 * @param lastSeq         seq of its newest record (0 when empty)
 * @param oldestId        the {@code id} of its oldest record (null when empty)
 * @param oldestTime      the {@code time} attribute of its oldest record (null when empty)
 * @param lastCheckpointSeq seq of the last checkpoint record in the export, 0 when there is none
 */
public record UnsignedTail(long count, long firstSeq, long lastSeq, String oldestId, String oldestTime,
                           long lastCheckpointSeq) {
    public static UnsignedTail none(long lastCheckpointSeq) {
        return new UnsignedTail(0, 0, 0, null, null, lastCheckpointSeq);
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** {@code 3 records (seq 74..76, oldest 2026-12-06T20:50:01Z)}, or {@code none}. */
    public String describe() {
        if (isEmpty()) {
            return "none";
        }
        return count + (count == 1 ? " record (" : " records (") + SeqRange.of(firstSeq, lastSeq) + ", oldest "
                + oldestTime + ")";
    }
}
