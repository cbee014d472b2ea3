package io.mintgate.audit.chain;

import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.record.RecordEncoder;

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
    /** lastHash as raw bytes, so sealing does not parse the hex again for every record. */
    private byte[] lastHashBytes;

    /** Continues a chain whose last record had {@code lastSeq}/{@code lastHash} (0/GENESIS for a new chain). */
    public HashChain(long lastSeq, String lastHash) {
        this.seq = lastSeq;
        this.lastHash = lastHash;
        this.lastHashBytes = HEX.parseHex(lastHash);
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }

    /**
     * Chains {@code record} as the next link and advances the chain; afterwards {@code encoder}'s payload holds the
     * record's CloudEvent JSON with its seq, prev and hash attributes. The chain does not move if encoding fails.
     */
    public Link seal(AuditRecord record, RecordEncoder encoder) {
        long next = seq + 1;
        RecordEncoder.Bytes canonical = encoder.canonical(record, next, lastHash);
        digest.reset();
        digest.update(lastHashBytes);
        digest.update(canonical.array(), 0, canonical.length());
        byte[] hashBytes = digest.digest();
        String hash = HEX.formatHex(hashBytes);
        encoder.payload(record, next, lastHash, hash);
        seq = next;
        lastHash = hash;
        lastHashBytes = hashBytes;
        return new Link(next, hash);
    }

    /** Rewinds after a failed write so the next record reuses the seq that never reached the disk. */
    public void reset(long lastSeq, String lastHash) {
        this.seq = lastSeq;
        this.lastHash = lastHash;
        this.lastHashBytes = HEX.parseHex(lastHash);
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
