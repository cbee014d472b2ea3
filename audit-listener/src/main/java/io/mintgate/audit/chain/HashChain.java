package io.mintgate.audit.chain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.audit.record.RecordJson;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 hash chain over records: {@code hash = SHA-256(bytes(prevHash) || canonical(record without hash))}, where
 * {@code bytes(prevHash)} is the 32 raw bytes of the previous hash (32 zero bytes before the first record) and seq
 * increases by exactly one. Not thread-safe: only the spool writer thread seals records.
 */
public final class HashChain {
    public static final String GENESIS = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest digest;
    private long seq;
    private String lastHash;

    /** Continues a chain whose last record had {@code lastSeq}/{@code lastHash} (0/GENESIS for a new chain). */
    public HashChain(long lastSeq, String lastHash) {
        this.seq = lastSeq;
        this.lastHash = lastHash;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }

    /** Adds seq, prev and hash attributes to {@code event} and advances the chain. */
    public Link seal(ObjectNode event) {
        long next = seq + 1;
        event.put(RecordJson.EXT_SEQ, next);
        event.put(RecordJson.EXT_PREV, lastHash);
        String hash = hashOf(digest, lastHash, RecordJson.canonicalWithoutHash(event));
        event.put(RecordJson.EXT_HASH, hash);
        seq = next;
        lastHash = hash;
        return new Link(next, hash);
    }

    /** Rewinds after a failed write so the next record reuses the seq that never reached the disk. */
    public void reset(long lastSeq, String lastHash) {
        this.seq = lastSeq;
        this.lastHash = lastHash;
    }

    public long seq() {
        return seq;
    }

    public String lastHash() {
        return lastHash;
    }

    public static String hashOf(MessageDigest digest, String prevHashHex, byte[] canonical) {
        digest.reset();
        digest.update(HEX.parseHex(prevHashHex));
        digest.update(canonical);
        return HEX.formatHex(digest.digest());
    }

    /** Position of a record in the chain. */
    public record Link(long seq, String hash) {
    }
}
