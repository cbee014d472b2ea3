package io.mintgate.authorizer.tool;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;
import io.mintgate.authorizer.replay.TrailReplay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code replay --policy draft.json --trail audit.jsonl [--trail more.jsonl] [--from ISO] [--to ISO] [--realm r]}:
 * decides the trail's recorded requests again with a draft policy and prints the report as JSON
 * (docs/changing-policy.md, "Replay"). Exit codes: 0 the report was printed, 2 usage, an unreadable file or a draft
 * that does not compile.
 */
public final class ReplayCommand {

    public static final String USAGE = "usage: replay --policy <draft.json> --trail <audit.jsonl> [--trail <file>...] "
            + "[--from <ISO instant>] [--to <ISO instant>] [--realm <name>]";
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ReplayCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String policyFile = null;
        List<Path> trails = new ArrayList<>();
        Instant from = null;
        Instant to = null;
        String realm = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    return usage(err, option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--policy" -> policyFile = value;
                    case "--trail" -> trails.add(Path.of(value));
                    case "--from" -> from = Instant.parse(value);
                    case "--to" -> to = Instant.parse(value);
                    case "--realm" -> realm = value;
                    default -> {
                        return usage(err, "unknown option " + option);
                    }
                }
            }
        } catch (DateTimeParseException e) {
            return usage(err, "--from/--to: '" + e.getParsedString() + "' is no ISO-8601 instant (2026-01-01T00:00:00Z)");
        }
        if (policyFile == null || trails.isEmpty()) {
            return usage(err, "--policy and --trail are required");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            return usage(err, "--from must be before --to");
        }
        PolicySet draft;
        try {
            draft = PolicyCompiler.compile(Files.readString(Path.of(policyFile)));
        } catch (IOException e) {
            err.println("cannot read " + policyFile + ": " + e.getMessage());
            return 2;
        } catch (PolicyValidationException e) {
            err.println(policyFile + " is not a valid policy:");
            e.getMessage().lines().forEach(l -> err.println("  " + l));
            return 2;
        }
        TrailReplay replay = new TrailReplay(draft, from, to, realm);
        for (Path trail : trails) {
            try (BufferedReader lines = Files.newBufferedReader(trail, StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    replay.line(line);
                }
            } catch (IOException e) {
                err.println("cannot read " + trail + ": " + e.getMessage());
                return 2;
            }
        }
        try {
            out.println(MAPPER.writeValueAsString(replay.report().toMap()));
        } catch (IOException e) {
            err.println("cannot write the report: " + e.getMessage());
            return 2;
        }
        return 0;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("replay: " + problem);
        err.println(USAGE);
        return 2;
    }
}
