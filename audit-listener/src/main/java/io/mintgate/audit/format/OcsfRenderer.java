package io.mintgate.audit.format;

/** Placeholder replaced in the next commit. */
final class OcsfRenderer {
    private OcsfRenderer() {
    }

    static byte[] render(byte[] cloudEvent) {
        throw new UnsupportedOperationException("OCSF rendering is not implemented yet");
    }
}
