package io.mintgate.audit.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import io.mintgate.audit.record.RecordJson;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command line entry point of the Mintgate bundle jar.
 * <pre>verify &lt;file.jsonl&gt; [--jwk public.jwk]
 * checkpoint-key new|public &lt;private.jwk&gt;</pre>
 * Exit codes: 0 verified, 1 the trail failed verification, 2 usage or I/O error.
 */
public final class MintgateCli {
    private MintgateCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && "checkpoint-key".equals(args[0])) {
            return CheckpointKeyCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length < 2 || !"verify".equals(args[0])) {
            err.println("usage: verify <file.jsonl|file.json> [--jwk public.jwk]");
            err.println("       " + CheckpointKeyCommand.USAGE);
            return 2;
        }
        Path file = Path.of(args[1]);
        JWK key = null;
        try {
            for (int i = 2; i < args.length; i++) {
                if ("--jwk".equals(args[i]) && i + 1 < args.length) {
                    key = JWK.parse(Files.readString(Path.of(args[++i]), StandardCharsets.UTF_8));
                } else {
                    err.println("unknown argument: " + args[i]);
                    return 2;
                }
            }
            List<JsonNode> events = read(file);
            ChainVerifier.Result r = new ChainVerifier(key).verify(events);
            if (r.ok()) {
                out.printf("OK %s: %d records (seq %d..%d), %d checkpoints, %d signatures verified%s%s%n", file,
                        r.records(), r.firstSeq(), r.lastSeq(), r.checkpoints(), r.signaturesVerified(),
                        r.duplicates() > 0 ? ", " + r.duplicates() + " duplicate deliveries ignored" : "",
                        key == null ? " (no --jwk given: checkpoint signatures NOT checked)" : "");
                return 0;
            }
            err.printf("FAILED %s: record seq %d id %s is %s: %s%n", file, r.seq(), r.id(),
                    r.problem().name().toLowerCase().replace('_', ' '), r.message());
            return 1;
        } catch (IOException | java.text.ParseException | RuntimeException e) {
            err.println("cannot verify " + file + ": " + e.getMessage());
            return 2;
        }
    }

    /** JSON lines as the file sink writes them, or one JSON array (an HTTP batch body). */
    static List<JsonNode> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        List<JsonNode> events = new ArrayList<>();
        if (text.startsWith("[")) {
            RecordJson.parse(text.getBytes(StandardCharsets.UTF_8)).forEach(events::add);
            return events;
        }
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                events.add(RecordJson.parse(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return events;
    }
}
