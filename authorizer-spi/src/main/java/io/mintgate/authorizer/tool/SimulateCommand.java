package io.mintgate.authorizer.tool;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.IssuanceRequestJson;
import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;
import io.mintgate.authorizer.simulate.OfflineSimulation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * {@code simulate --policy <policy.json> --request <request.json>}: what a policy document decides for one request,
 * without a server, as the admin REST simulator answers it ({@link OfflineSimulation}). Prints the answer as JSON.
 * Exit codes: 0 the answer was printed (allow or deny), 2 usage, an unreadable or malformed file, a policy that does
 * not compile.
 */
public final class SimulateCommand {
    public static final String USAGE = "usage: simulate --policy <policy.json> --request <request.json>"
            + " [--time <ISO-8601 instant>] [--budgets-left] [--pdp-answer allow|deny]";

    private static final JsonMapper READER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonMapper WRITER = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private SimulateCommand() {
    }

    /** A problem with the command's input: printed to stderr, exit 2. */
    private static final class InputProblem extends Exception {
        InputProblem(String message) {
            super(message);
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Options options = Options.parse(args);
            PolicySet policy = policy(options.policy());
            IssuanceRequest request = request(options.request(), options.time());
            Map<String, Object> answer = OfflineSimulation.answer(options.policy().getFileName().toString(), policy,
                    request, options.budgets(), options.pdps());
            out.println(WRITER.writeValueAsString(answer));
            return 0;
        } catch (InputProblem e) {
            err.println(e.getMessage());
            return 2;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the answer could not be written as JSON", e);
        }
    }

    private record Options(Path policy, Path request, Instant time, OfflineSimulation.Budgets budgets,
                           OfflineSimulation.Pdps pdps) {

        static Options parse(String[] args) throws InputProblem {
            Path policy = null;
            Path request = null;
            Instant time = null;
            OfflineSimulation.Budgets budgets = OfflineSimulation.Budgets.UNREACHABLE;
            OfflineSimulation.Pdps pdps = OfflineSimulation.Pdps.UNREACHABLE;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--policy" -> policy = Path.of(value(args, i++));
                    case "--request" -> request = Path.of(value(args, i++));
                    case "--time" -> {
                        String text = value(args, i++);
                        try {
                            time = Instant.parse(text);
                        } catch (DateTimeParseException e) {
                            throw new InputProblem("--time: '" + text + "' is no ISO-8601 instant (2026-03-01T12:00:00Z)\n" + USAGE);
                        }
                    }
                    case "--budgets-left" -> budgets = OfflineSimulation.Budgets.LEFT;
                    case "--pdp-answer" -> {
                        String answer = value(args, i++);
                        pdps = switch (answer) {
                            case "allow" -> OfflineSimulation.Pdps.ALLOW;
                            case "deny" -> OfflineSimulation.Pdps.DENY;
                            default -> throw new InputProblem("--pdp-answer: allow or deny, got '" + answer + "'\n" + USAGE);
                        };
                    }
                    default -> throw new InputProblem("unknown argument '" + args[i] + "'\n" + USAGE);
                }
            }
            if (policy == null || request == null) {
                throw new InputProblem((policy == null ? "--policy" : "--request") + " is required\n" + USAGE);
            }
            return new Options(policy, request, time, budgets, pdps);
        }

        private static String value(String[] args, int i) throws InputProblem {
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new InputProblem(args[i] + " needs a value\n" + USAGE);
            }
            return args[i + 1];
        }
    }

    /** Compiled as a save compiles it: every problem named by field, line and column. */
    private static PolicySet policy(Path file) throws InputProblem {
        String source = read(file);
        try {
            return PolicyCompiler.compile(source);
        } catch (PolicyValidationException e) {
            StringBuilder message = new StringBuilder(file + " is not a valid policy:");
            e.getMessage().lines().forEach(l -> message.append("\n  ").append(l));
            throw new InputProblem(message.toString());
        }
    }

    /** The request in a policy test's format; {@code time} (else now) unless {@code --time} overrides it. */
    private static IssuanceRequest request(Path file, Instant time) throws InputProblem {
        JsonNode json;
        try {
            json = READER.readTree(read(file));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            throw new InputProblem(file + ": line " + line + ", column " + column + ": invalid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new InputProblem(file + ": the request must be a JSON object (the format of a policy test's request)");
        }
        if (time != null) {
            ((ObjectNode) json).put("time", time.toString());
        }
        try {
            return IssuanceRequestJson.read(json, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new InputProblem(file + ": " + e.getMessage());
        }
    }

    private static String read(Path file) throws InputProblem {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InputProblem("cannot read " + file + ": " + e);
        }
    }
}
