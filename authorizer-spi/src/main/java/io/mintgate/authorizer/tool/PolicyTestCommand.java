package io.mintgate.authorizer.tool;

import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicyProblem;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyTests;
import io.mintgate.authorizer.policy.PolicyValidationException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code test <policy.json>}: compiles a policy document and runs its {@code tests} section exactly as a save does,
 * so that a pipeline can gate a change before it reaches Keycloak. Exit codes: 0 every case passed, 1 a case failed
 * or is malformed, 2 usage, unreadable file or a policy that does not compile.
 */
public final class PolicyTestCommand {
    public static final String USAGE = "usage: test <policy.json>";

    private PolicyTestCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println(USAGE);
            return 2;
        }
        String source;
        try {
            source = Files.readString(Path.of(args[0]));
        } catch (IOException e) {
            err.println("cannot read " + args[0] + ": " + e.getMessage());
            return 2;
        }
        PolicySet policy;
        try {
            policy = PolicyCompiler.compile(source);
        } catch (PolicyValidationException e) {
            err.println(args[0] + " is not a valid policy:");
            e.getMessage().lines().forEach(l -> err.println("  " + l));
            return 2;
        }
        List<PolicyProblem> problems = new ArrayList<>();
        List<PolicyTests.CaseResult> results = PolicyTests.run(source, policy, problems);
        for (PolicyTests.CaseResult result : results) {
            out.println((result.passed() ? "PASS  " : "FAIL  ") + result.name()
                    + (result.passed() ? "" : ": " + String.join("; ", result.differences())));
        }
        List<PolicyProblem> malformed = problems.stream().filter(p -> !p.message().contains("' failed: ")).toList();
        malformed.forEach(p -> out.println("ERROR " + p));
        long failed = results.stream().filter(r -> !r.passed()).count();
        out.println(results.size() + malformed.size() + " cases: " + (results.size() - failed) + " passed, " + failed
                + " failed, " + malformed.size() + " malformed");
        return failed + malformed.size() == 0 ? 0 : 1;
    }
}
