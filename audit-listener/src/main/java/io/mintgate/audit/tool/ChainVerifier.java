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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an exported audit trail: every record's hash, seq continuity, prevHash links, and checkpoint signatures.
 * Exact duplicates (same seq and hash) are tolerated and counted, because at-least-once shipping may repeat records.
 * Stops at the first problem and names the record and the kind of problem.
 */
public final class ChainVerifier {

    public enum Problem { MISSING, ALTERED, REORDERED, BAD_SIGNATURE, MALFORMED }

    /** Outcome; {@code problem == null} means the trail verified. */
    public record Result(Problem problem, long seq, String id, String message, long records, long checkpoints,
                         long signaturesVerified, long duplicates, long firstSeq, long lastSeq) {
        public boolean ok() {
            return problem == null;
        }
    }

    private final JWSVerifier verifier;

    /** @param publicKey checkpoint verification key, or null to check the chain only */
    public ChainVerifier(JWK publicKey) {
        try {
            if (publicKey == null) {
                verifier = null;
            } else if (publicKey instanceof ECKey ec) {
                verifier = new ECDSAVerifier(ec.toPublicJWK());
            } else if (publicKey instanceof RSAKey rsa) {
                verifier = new RSASSAVerifier(rsa.toPublicJWK());
            } else {
                throw new IllegalArgumentException("unsupported JWK type " + publicKey.getKeyType());
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWK: " + e.getMessage(), e);
        }
    }

    public Result verify(List<JsonNode> events) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Set<Long> present = new HashSet<>();
        for (JsonNode e : events) {
            present.add(e.path(RecordJson.EXT_SEQ).asLong(-1));
        }
        Map<Long, String> hashes = new HashMap<>();
        long records = 0, checkpoints = 0, signatures = 0, duplicates = 0, firstSeq = -1;
        long prevSeq = -1;
        String prevHash = null;
        for (JsonNode node : events) {
            String id = node.path("id").asText(null);
            if (!(node instanceof ObjectNode event) || !node.has(RecordJson.EXT_SEQ) || !node.has(RecordJson.EXT_HASH)
                    || !node.has(RecordJson.EXT_PREV)) {
                return fail(Problem.MALFORMED, node.path(RecordJson.EXT_SEQ).asLong(-1), id,
                        "record has no chain attributes", records, checkpoints, signatures, duplicates, firstSeq, prevSeq);
            }
            long seq = event.path(RecordJson.EXT_SEQ).asLong();
            String hash = event.path(RecordJson.EXT_HASH).asText();
            String prev = event.path(RecordJson.EXT_PREV).asText();
            String recomputed = HashChain.hashOf(sha, prev, RecordJson.canonicalWithoutHash(event));
            if (!recomputed.equals(hash)) {
                return fail(Problem.ALTERED, seq, id, "content does not match its hash", records, checkpoints,
                        signatures, duplicates, firstSeq, prevSeq);
            }
            if (hashes.containsKey(seq)) {
                if (hashes.get(seq).equals(hash)) {
                    duplicates++;
                    continue;
                }
                return fail(Problem.ALTERED, seq, id, "a different record with the same seq appeared earlier",
                        records, checkpoints, signatures, duplicates, firstSeq, prevSeq);
            }
            if (prevSeq >= 0) {
                if (seq < prevSeq) {
                    return fail(Problem.REORDERED, seq, id, "appears after seq " + prevSeq, records, checkpoints,
                            signatures, duplicates, firstSeq, prevSeq);
                }
                if (seq > prevSeq + 1) {
                    long expected = prevSeq + 1;
                    if (present.contains(expected)) {
                        return fail(Problem.REORDERED, seq, id, "appears before seq " + expected
                                + " (expected seq " + expected + " here)", records, checkpoints, signatures,
                                duplicates, firstSeq, prevSeq);
                    }
                    return fail(Problem.MISSING, seq, id, "records seq " + expected + ".." + (seq - 1)
                            + " are missing before this one", records, checkpoints, signatures, duplicates, firstSeq,
                            prevSeq);
                }
                if (!prev.equals(prevHash)) {
                    // The previous record hashes correctly on its own, yet is not what this one chained to:
                    // it was replaced (and re-hashed) after the fact.
                    return fail(Problem.ALTERED, prevSeq, idOfSeq(events, prevSeq), "record seq " + prevSeq
                            + " was replaced: seq " + seq + " chained to a different hash", records, checkpoints,
                            signatures, duplicates, firstSeq, prevSeq);
                }
            } else {
                firstSeq = seq;
                if (seq == 1 && !prev.equals(HashChain.GENESIS)) {
                    return fail(Problem.ALTERED, seq, id, "first record does not start from the genesis hash",
                            records, checkpoints, signatures, duplicates, firstSeq, prevSeq);
                }
            }
            if (RecordType.CHECKPOINT.equals(event.path("type").asText())) {
                checkpoints++;
                String problem = checkCheckpoint(event.path("data"), prevSeq, prevHash);
                if (problem != null) {
                    return fail(Problem.BAD_SIGNATURE, seq, id, problem, records, checkpoints, signatures, duplicates,
                            firstSeq, prevSeq);
                }
                if (verifier != null) {
                    signatures++;
                }
            }
            hashes.put(seq, hash);
            records++;
            prevSeq = seq;
            prevHash = hash;
        }
        return new Result(null, prevSeq, null, "ok", records, checkpoints, signatures, duplicates, firstSeq, prevSeq);
    }

    /** The checkpoint must name the record just before it and carry a valid signature over the same claims. */
    private String checkCheckpoint(JsonNode data, long prevSeq, String prevHash) {
        long seq = data.path("seq").asLong(-1);
        String hash = data.path("hash").asText();
        if (prevSeq >= 0 && (seq != prevSeq || !hash.equals(prevHash))) {
            return "checkpoint claims seq " + seq + " but the chain before it ends at seq " + prevSeq;
        }
        if (verifier == null) {
            return null;
        }
        try {
            JWSObject jws = JWSObject.parse(data.path("jws").asText());
            if (!jws.verify(verifier)) {
                return "checkpoint signature does not verify with the given key";
            }
            Map<String, Object> claims = jws.getPayload().toJSONObject();
            if (claims == null || ((Number) claims.get("seq")).longValue() != seq || !hash.equals(claims.get("hash"))
                    || ((Number) claims.get("count")).longValue() != data.path("count").asLong(-1)) {
                return "checkpoint data differs from its signed claims";
            }
            return null;
        } catch (ParseException | JOSEException | RuntimeException e) {
            return "checkpoint signature unreadable: " + e.getMessage();
        }
    }

    private static String idOfSeq(List<JsonNode> events, long seq) {
        for (JsonNode e : events) {
            if (e.path(RecordJson.EXT_SEQ).asLong(-1) == seq) {
                return e.path("id").asText(null);
            }
        }
        return null;
    }

    private static Result fail(Problem p, long seq, String id, String msg, long records, long checkpoints,
                               long signatures, long duplicates, long firstSeq, long lastSeq) {
        return new Result(p, seq, id, msg, records, checkpoints, signatures, duplicates, firstSeq, lastSeq);
    }
}
