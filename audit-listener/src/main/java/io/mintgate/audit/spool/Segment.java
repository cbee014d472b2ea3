package io.mintgate.audit.spool;

import java.nio.file.Path;

/**
 * One append-only segment file, named after the seq of its first record so segments sort in chain order.
 * lastSeq/size are written only by the spool writer thread and read by shippers and the full-policy check.
 */
final class Segment {
    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".log";

    final long firstSeq;
    final Path path;
    volatile long lastSeq;
    volatile long size;
    volatile boolean deleted;

    Segment(long firstSeq, Path path, long lastSeq, long size) {
        this.firstSeq = firstSeq;
        this.path = path;
        this.lastSeq = lastSeq;
        this.size = size;
    }

    static String fileName(long firstSeq) {
        return String.format("%s%020d%s", PREFIX, firstSeq, SUFFIX);
    }

    static boolean isSegment(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
    }

    static long firstSeqOf(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
    }

    boolean isEmpty() {
        return lastSeq < firstSeq;
    }

    @Override
    public String toString() {
        return path + " [" + firstSeq + ".." + lastSeq + "]";
    }
}
