package io.mintgate.authorizer.policy;

/** Where the request came from and which proof-of-possession keys it carried. Empty strings when unknown. */
public record NetworkInfo(String sourceAddress, String tlsClientCertThumbprint, String dpopThumbprint) {

    public static final NetworkInfo NONE = new NetworkInfo("", "", "");

    public NetworkInfo {
        sourceAddress = Values.orEmpty(sourceAddress);
        tlsClientCertThumbprint = Values.orEmpty(tlsClientCertThumbprint);
        dpopThumbprint = Values.orEmpty(dpopThumbprint);
    }
}
