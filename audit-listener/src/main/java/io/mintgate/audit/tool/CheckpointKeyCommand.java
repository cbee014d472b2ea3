package io.mintgate.audit.tool;

import com.nimbusds.jose.jwk.JWK;
import io.mintgate.audit.chain.CheckpointKeys;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/**
 * {@code checkpoint-key new <file>} creates a private checkpoint signing key (EC P-256, ES256, owner-only file) and
 * prints its public JWK; {@code checkpoint-key public <file>} prints the public JWK of an existing key (a generated
 * {@code <spool-dir>/checkpoint-key.jwk} or one made by {@code new}), which is what {@code verify --jwk} needs.
 * Only the public half is ever printed.
 */
final class CheckpointKeyCommand {

    static final String USAGE = "checkpoint-key new <private.jwk> | checkpoint-key public <private.jwk>";

    private CheckpointKeyCommand() {
    }

    /** @param args the arguments after {@code checkpoint-key} */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !("new".equals(args[0]) || "public".equals(args[0]))) {
            err.println("usage: " + USAGE);
            return 2;
        }
        Path file = Path.of(args[1]);
        try {
            JWK key = "new".equals(args[0]) ? CheckpointKeys.create(file) : CheckpointKeys.read(file);
            out.println(key.toPublicJWK().toJSONString());
            return 0;
        } catch (FileAlreadyExistsException e) {
            err.println("refusing to overwrite " + file + ": it already exists");
            return 2;
        } catch (IOException e) {
            err.println("cannot " + ("new".equals(args[0]) ? "create " : "read ") + file + ": " + e.getMessage());
            return 2;
        }
    }
}
