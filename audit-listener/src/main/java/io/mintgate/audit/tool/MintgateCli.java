package io.mintgate.audit.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.mintgate.audit.record.RecordJson;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command line entry point of the Mintgate bundle jar.
 * <pre>verify &lt;file.jsonl|file.json&gt; [--jwk public.jwk ... [--allow-unsigned-tail &lt;records|age&gt;]]
 * checkpoint-key new|public &lt;private.jwk&gt;
 * surface &lt;report.json|-&gt; [--fail-on-uncovered]</pre>
 * {@code --jwk} may be repeated, or name a JWK Set, when the nodes of a merged export sign with their own keys.
 * Exit codes: 0 verified, 1 the trail failed verification, 2 usage or I/O error.
 */
public final class MintgateCli {
    private static final String USAGE =
            "usage: verify <file.jsonl|file.json> [--jwk public.jwk ... [--allow-unsigned-tail <records|age: 10000, 90s>]]";

    private MintgateCli() {
    }

    /** Whether {@code command} is one of this class's commands (the bundle's entry point dispatches on it). */
    public static boolean knows(String command) {
        return "verify".equals(command) || "checkpoint-key".equals(command) || "surface".equals(command);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Clock.systemUTC());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
        if (args.length > 0 && "checkpoint-key".equals(args[0])) {
            return CheckpointKeyCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && "surface".equals(args[0])) {
            return SurfaceTableCommand.run(Arrays.copyOfRange(args, 1, args.length), System.in, out, err);
        }
        if (args.length < 2 || !"verify".equals(args[0])) {
            err.println(USAGE);
            err.println("       " + CheckpointKeyCommand.USAGE);
            err.println("       " + SurfaceTableCommand.USAGE);
            return 2;
        }
        Path file = Path.of(args[1]);
        List<JWK> keys = new ArrayList<>();
        UnsignedTailAllowance allowance = null;
        try {
            for (int i = 2; i < args.length; i++) {
                if ("--jwk".equals(args[i]) && i + 1 < args.length) {
                    keys.addAll(readKeys(Path.of(args[++i])));
                } else if ("--allow-unsigned-tail".equals(args[i]) && i + 1 < args.length) {
                    allowance = UnsignedTailAllowance.parse(args[++i]);
                } else {
                    err.println("unknown argument: " + args[i]);
                    err.println(USAGE);
                    return 2;
                }
            }
            if (allowance != null && keys.isEmpty()) {
                err.println("--allow-unsigned-tail needs --jwk: without the key no tail is signed");
                return 2;
            }
            List<JsonNode> events = read(file);
            TrailReport report = new TrailVerifier(keys, allowance == null ? UnsignedTailAllowance.NONE : allowance,
                    clock).verify(events);
            PrintStream target = report.ok() ? out : err;
            report.lines(file.toString()).forEach(target::println);
            return report.ok() ? 0 : 1;
        } catch (IOException | java.text.ParseException | RuntimeException e) {
            err.println("cannot verify " + file + ": " + e.getMessage());
            return 2;
        }
    }

    /** A public JWK, or a JWK Set ({@code {"keys":[...]}}) holding several nodes' keys. */
    static List<JWK> readKeys(Path file) throws IOException, java.text.ParseException {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        if (RecordJson.parse(json.getBytes(StandardCharsets.UTF_8)).has("keys")) {
            return JWKSet.parse(json).getKeys();
        }
        return List.of(JWK.parse(json));
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
