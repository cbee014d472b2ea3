package io.mintgate.audit.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.mintgate.audit.chain.HashChain;
import io.mintgate.audit.record.RecordJson;
import io.mintgate.audit.record.RecordType;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks the records of ONE chain (one spool): every record's hash, seq continuity, prevHash links, and the
 * checkpoints, and finds the unsigned tail (the records after the last checkpoint). Exact duplicates (same seq and
 * hash) are tolerated and counted, because at-least-once shipping may repeat records. Stops at the first problem
 * and names the record and the kind of problem. A checkpoint whose signature does not verify is a bad signature;
 * a valid signature over another hash than the chain now has means the records were changed (altered).
 * Whether the unsigned tail is acceptable is the caller's decision ({@link TrailVerifier}).
 */
public final class ChainVerifier {

    public enum Problem { MISSING, ALTERED, REORDERED, BAD_SIGNATURE, MALFORMED, UNSIGNED }

    /**
     * Outcome for one chain; {@code problem == null} means it verified.
     *
     * @param chain the chain id ({@code mintgatechain}), null for records written before chain ids
     * @param tail  the unsigned tail; null when the walk stopped at a problem before the end
     */
    public record Result(String chain, Problem problem, long seq, String id, String message, long records,
                         long checkpoints, long signaturesVerified, long duplicates, long firstSeq, long lastSeq,
                         UnsignedTail tail) {
        public boolean ok() {
            return problem == null;
        }

        /** This chain, failed for its unsigned tail. */
        Result unsigned(String why) {
            return new Result(chain, Problem.UNSIGNED, tail.firstSeq(), tail.oldestId(), why, records, checkpoints,
                    signaturesVerified, duplicates, firstSeq, lastSeq, tail);
        }
    }

    /** Verifiers of the given public keys, in the order given; empty when signatures are not checked. */
    private final List<Key> keys;

    /** @param publicKeys checkpoint verification keys (each node's, unless they share one); none: chain only */
    public ChainVerifier(List<JWK> publicKeys) {
        List<Key> verifiers = new ArrayList<>();
        for (JWK key : publicKeys) {
            verifiers.add(new Key(key.getKeyID(), verifierOf(key)));
        }
        this.keys = List.copyOf(verifiers);
    }

    private static JWSVerifier verifierOf(JWK publicKey) {
        try {
            if (publicKey instanceof ECKey ec) {
                return new ECDSAVerifier(ec.toPublicJWK());
            } else if (publicKey instanceof RSAKey rsa) {
                return new RSASSAVerifier(rsa.toPublicJWK());
            }
            throw new IllegalArgumentException("unsupported JWK type " + publicKey.getKeyType());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWK: " + e.getMessage(), e);
        }
    }

    /** Whether checkpoint signatures are checked (a key was given). */
    public boolean checksSignatures() {
        return !keys.isEmpty();
    }

    /**
     * Null when a given key verifies {@code jws}: one with its key id, or any when either has no key id. Else why not,
     * naming the key id the checkpoint was signed with.
     */
    private String verifySignature(JWSObject jws) {
        String kid = jws.getHeader().getKeyID();
        boolean candidate = false;
        for (Key key : keys) {
            if (kid == null || key.kid() == null || kid.equals(key.kid())) {
                candidate = true;
                try {
                    if (jws.verify(key.verifier())) {
                        return null;
                    }
                } catch (JOSEException otherAlgorithm) {
                    // An RSA key for an ES256 signature (or the reverse): not this key.
                }
            }
        }
        return candidate ? "the checkpoint's signature does not verify with the given key for key id " + kid
                + ": forged, or changed after signing"
                : "the checkpoint was signed with key id " + kid + ", which none of the given keys has";
    }

    private record Key(String kid, JWSVerifier verifier) {
    }

    /** Verifies {@code events}, the records of chain {@code chain} in export order. */
    public Result verify(String chain, List<JsonNode> events) {
        return new Walk(chain, events).run();
    }

    /** One pass over one chain; holds what has been seen so far. */
    private final class Walk {
        private final String chain;
        private final List<JsonNode> events;
        private final MessageDigest sha;
        private final Map<Long, String> hashes = new HashMap<>();
        private final Set<Long> present = new HashSet<>();
        private long records;
        private long checkpoints;
        private long signatures;
        private long duplicates;
        private long firstSeq = -1;
        private long prevSeq = -1;
        private String prevHash;
        private long lastCheckpointSeq;
        /** The first record after the last checkpoint so far, null while the chain ends with a checkpoint. */
        private JsonNode tailStart;

        Walk(String chain, List<JsonNode> events) {
            this.chain = chain;
            this.events = events;
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        Result run() {
            for (JsonNode e : events) {
                present.add(e.path(RecordJson.EXT_SEQ).asLong(-1));
            }
            for (JsonNode node : events) {
                String id = node.path("id").asText(null);
                if (!(node instanceof ObjectNode event) || !node.has(RecordJson.EXT_SEQ)
                        || !node.has(RecordJson.EXT_HASH) || !node.has(RecordJson.EXT_PREV)) {
                    return fail(Problem.MALFORMED, node.path(RecordJson.EXT_SEQ).asLong(-1), id,
                            "record has no chain attributes");
                }
                long seq = event.path(RecordJson.EXT_SEQ).asLong();
                String hash = event.path(RecordJson.EXT_HASH).asText();
                String prev = event.path(RecordJson.EXT_PREV).asText();
                String recomputed = HashChain.hashOf(sha, prev, RecordJson.canonicalWithoutHash(event));
                if (!recomputed.equals(hash)) {
                    return fail(Problem.ALTERED, seq, id, "content does not match its hash");
                }
                if (hashes.containsKey(seq)) {
                    if (hashes.get(seq).equals(hash)) {
                        duplicates++;
                        continue;
                    }
                    return fail(Problem.ALTERED, seq, id, "a different record with the same seq appeared earlier");
                }
                Result linkProblem = checkLink(seq, id, prev);
                if (linkProblem != null) {
                    return linkProblem;
                }
                if (RecordType.CHECKPOINT.equals(event.path("type").asText())) {
                    checkpoints++;
                    Result problem = checkCheckpoint(event, seq, id);
                    if (problem != null) {
                        return problem;
                    }
                    if (checksSignatures()) {
                        signatures++;
                    }
                    lastCheckpointSeq = seq;
                    tailStart = null;
                } else if (tailStart == null) {
                    tailStart = event;
                }
                hashes.put(seq, hash);
                records++;
                prevSeq = seq;
                prevHash = hash;
            }
            return new Result(chain, null, prevSeq, null, "ok", records, checkpoints, signatures, duplicates, firstSeq,
                    prevSeq, tail());
        }

        private Result checkLink(long seq, String id, String prev) {
            if (prevSeq < 0) {
                firstSeq = seq;
                if (seq == 1 && !prev.equals(HashChain.GENESIS)) {
                    return fail(Problem.ALTERED, seq, id, "first record does not start from the genesis hash");
                }
                return null;
            }
            if (seq < prevSeq) {
                return fail(Problem.REORDERED, seq, id, "appears after seq " + prevSeq);
            }
            if (seq > prevSeq + 1) {
                long expected = prevSeq + 1;
                if (present.contains(expected)) {
                    return fail(Problem.REORDERED, seq, id, "appears before seq " + expected
                            + " (expected seq " + expected + " here)");
                }
                return fail(Problem.MISSING, seq, id, SeqRange.subject(expected, seq - 1)
                        + " missing before this one");
            }
            if (!prev.equals(prevHash)) {
                // The previous record hashes correctly on its own, yet is not what this one chained to:
                // it was replaced (and re-hashed) after the fact.
                return fail(Problem.ALTERED, prevSeq, idOfSeq(prevSeq), "record seq " + prevSeq
                        + " was replaced: seq " + seq + " chained to a different hash");
            }
            return null;
        }

        /**
         * A checkpoint must carry a signature the key verifies (else: bad signature), over claims that name this chain,
         * the record just before it and that record's hash, and that match its data (else: the records were changed
         * after they were signed, and re-chained to hide it: altered). Without a key only the data is compared.
         */
        private Result checkCheckpoint(ObjectNode event, long seq, String id) {
            JsonNode data = event.path("data");
            String recordChain = event.path(RecordJson.EXT_CHAIN).isTextual()
                    ? event.path(RecordJson.EXT_CHAIN).asText() : null;
            Claims stated = new Claims(data.path("chain").isTextual() ? data.path("chain").asText() : null,
                    data.path("seq").asLong(-1), data.path("hash").asText(""), data.path("count").asLong(-1));
            Claims signed = stated;
            if (checksSignatures()) {
                try {
                    JWSObject jws = JWSObject.parse(data.path("jws").asText());
                    String bad = verifySignature(jws);
                    if (bad != null) {
                        return fail(Problem.BAD_SIGNATURE, seq, id, bad);
                    }
                    signed = Claims.of(jws.getPayload().toJSONObject());
                } catch (ParseException | RuntimeException e) {
                    return fail(Problem.BAD_SIGNATURE, seq, id, "the checkpoint's signature is unreadable: "
                            + e.getMessage());
                }
            }
            String what = checksSignatures() ? "signed" : "states";
            if (!Objects.equals(signed.chain(), recordChain)) {
                return fail(Problem.ALTERED, seq, id, "the checkpoint " + what + " chain " + signed.chain()
                        + " but the record is in chain " + recordChain);
            }
            if (prevSeq >= 0 && signed.seq() != prevSeq) {
                return fail(Problem.ALTERED, seq, id, "the checkpoint " + what + " seq " + signed.seq()
                        + " as the record before it, but that is seq " + prevSeq + ": records were removed or inserted "
                        + "and the chain recomputed");
            }
            if (prevSeq >= 0 && !signed.hash().equals(prevHash)) {
                return fail(Problem.ALTERED, prevSeq, idOfSeq(prevSeq), "the checkpoint at seq " + seq + " " + what
                        + " hash " + signed.hash() + " for this record, but it now hashes to " + prevHash
                        + ": this record or one before it was changed and the chain recomputed");
            }
            if (!signed.equals(stated)) {
                return fail(Problem.ALTERED, seq, id, "the checkpoint's data " + stated
                        + " differs from its signed claims " + signed);
            }
            return null;
        }

        private UnsignedTail tail() {
            if (tailStart == null) {
                return UnsignedTail.none(lastCheckpointSeq);
            }
            long first = tailStart.path(RecordJson.EXT_SEQ).asLong();
            return new UnsignedTail(prevSeq - first + 1, first, prevSeq, tailStart.path("id").asText(null),
                    tailStart.path("time").asText(null), lastCheckpointSeq);
        }

        private String idOfSeq(long seq) {
            for (JsonNode e : events) {
                if (e.path(RecordJson.EXT_SEQ).asLong(-1) == seq) {
                    return e.path("id").asText(null);
                }
            }
            return null;
        }

        private Result fail(Problem p, long seq, String id, String msg) {
            return new Result(chain, p, seq, id, msg, records, checkpoints, signatures, duplicates, firstSeq, prevSeq,
                    null);
        }
    }

    /** What a checkpoint states or signs: {@code {"chain":..,"seq":..,"hash":"..","count":..}}. */
    private record Claims(String chain, long seq, String hash, long count) {
        static Claims of(Map<String, Object> json) {
            if (json == null || !(json.get("seq") instanceof Number seq) || !(json.get("hash") instanceof String hash)
                    || !(json.get("count") instanceof Number count)) {
                throw new IllegalArgumentException("signed claims are not {chain, seq, hash, count}: " + json);
            }
            Object chain = json.get("chain");
            return new Claims(chain instanceof String s ? s : null, seq.longValue(), hash, count.longValue());
        }

        @Override
        public String toString() {
            return "{chain " + chain + ", seq " + seq + ", hash " + hash + ", count " + count + "}";
        }
    }
}
