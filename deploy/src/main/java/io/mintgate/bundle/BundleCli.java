package io.mintgate.bundle;

import io.mintgate.audit.tool.MintgateCli;
import io.mintgate.authorizer.tool.PolicyTestCommand;
import io.mintgate.authorizer.tool.ReplayCommand;
import io.mintgate.authorizer.tool.SimulateCommand;

import java.util.Arrays;

/**
 * {@code java -jar mintgate-keycloak.jar <command>}: the bundle's commands live in the module that owns their
 * subject (policies in the authorizer, the trail in the audit listener); this only dispatches.
 */
public final class BundleCli {

    private BundleCli() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && "test".equals(args[0])) {
            System.exit(PolicyTestCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && "simulate".equals(args[0])) {
            System.exit(SimulateCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && "replay".equals(args[0])) {
            System.exit(ReplayCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length == 0 || !MintgateCli.knows(args[0])) {
            System.err.println(PolicyTestCommand.USAGE);
            System.err.println(SimulateCommand.USAGE);
            System.err.println(ReplayCommand.USAGE);
        }
        MintgateCli.main(args);
    }
}
