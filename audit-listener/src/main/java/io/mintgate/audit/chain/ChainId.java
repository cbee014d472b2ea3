package io.mintgate.audit.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The name of one spool's hash chain, carried by every record ({@code mintgatechain}) and signed into every
 * checkpoint, so that the trails of several nodes can be merged and still be verified chain by chain. Created once
 * per spool directory and kept there in {@value #FILE}: the chain lives as long as the spool does, whatever the node
 * is called later.
 *
 * @param value 1 to 64 characters: letters, digits, {@code . _ : -}, starting with a letter or digit
 */
public record ChainId(String value) {
    public static final String FILE = "chain-id";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    public ChainId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("chain id '" + value + "' is not 1-64 letters, digits, '.', '_', ':' "
                    + "or '-' starting with a letter or digit");
        }
    }

    /**
     * The chain id of the spool in {@code spoolDir}: the one in its {@value #FILE} file, else {@code configured}
     * (the {@code chain-id} option), else a new random UUID; a new id is written to the file before any record uses it.
     *
     * @throws IOException when the file cannot be read or written, or holds another id than {@code configured}: the
     *                     records already chained under the old id would otherwise change chains mid-trail
     */
    public static ChainId loadOrCreate(Path spoolDir, String configured) throws IOException {
        ChainId wanted = configured == null || configured.isBlank() ? null : option(configured);
        Path file = spoolDir.resolve(FILE);
        if (Files.exists(file)) {
            ChainId kept = read(file);
            if (wanted != null && !wanted.equals(kept)) {
                throw new IOException("audit spool " + spoolDir + " holds chain '" + kept.value() + "' (file " + FILE
                        + ") but the chain-id option says '" + wanted.value() + "'; a chain keeps its id for its whole "
                        + "life: remove the option, set it to '" + kept.value() + "', or use a new spool-dir");
            }
            return kept;
        }
        ChainId created = wanted != null ? wanted : new ChainId(UUID.randomUUID().toString());
        write(file, created);
        return created;
    }

    /** The {@code chain-id} option, refused with its name when it is not a valid id. */
    private static ChainId option(String configured) {
        try {
            return new ChainId(configured.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mintgate-audit option chain-id: " + e.getMessage(), e);
        }
    }

    private static ChainId read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        try {
            return new ChainId(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("audit chain id file " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Written to a temporary file, fsynced and renamed, so a crash leaves either no id or the whole id. */
    private static void write(Path file, ChainId id) throws IOException {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.writeString(tmp, id.value() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
