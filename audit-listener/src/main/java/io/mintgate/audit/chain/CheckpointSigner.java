package io.mintgate.audit.chain;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.mintgate.audit.record.CheckpointData;

import java.util.LinkedHashMap;
import java.util.Map;

/** Signs checkpoints: ES256 for EC P-256 keys, RS256 for RSA keys. */
public final class CheckpointSigner {
    private final JWSSigner signer;
    private final JWSAlgorithm alg;
    private final String kid;

    public CheckpointSigner(JWK key) {
        try {
            if (key instanceof ECKey ec) {
                this.signer = new ECDSASigner(ec);
                this.alg = JWSAlgorithm.ES256;
            } else if (key instanceof RSAKey rsa) {
                this.signer = new RSASSASigner(rsa);
                this.alg = JWSAlgorithm.RS256;
            } else {
                throw new IllegalArgumentException("checkpoint key must be an EC P-256 or RSA JWK, got " + key.getKeyType());
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable checkpoint key: " + e.getMessage(), e);
        }
        this.kid = key.getKeyID();
    }

    /** Signs "chain {@code chain} ends at {@code seq} with {@code hash}, {@code count} records since the last one". */
    public CheckpointData sign(String chain, long seq, String hash, long count) {
        JWSHeader.Builder header = new JWSHeader.Builder(alg);
        if (kid != null) {
            header.keyID(kid);
        }
        JWSObject jws = new JWSObject(header.build(), new Payload(payload(chain, seq, hash, count)));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("checkpoint signing failed", e);
        }
        return new CheckpointData(chain, seq, hash, count, alg.getName(), kid, jws.serialize());
    }

    /**
     * The signed claims; the verifier compares them with the checkpoint's data and the chain. The chain id is signed
     * too, so a checkpoint vouches for one named chain (null: a checkpoint as written before chain ids, without it).
     */
    public static Map<String, Object> payload(String chain, long seq, String hash, long count) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (chain != null) {
            claims.put("chain", chain);
        }
        claims.put("seq", seq);
        claims.put("hash", hash);
        claims.put("count", count);
        return claims;
    }
}
