package io.mintgate.audit.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code surface <report.json|-> [--fail-on-uncovered]}: renders the answer of
 * {@code GET /admin/realms/{realm}/mintgate/surface} as a table, one row per client and grant path, followed by the
 * posture findings. With {@code --fail-on-uncovered} the exit code is 1 when a path has no policy, so a pipeline
 * can gate on it. Exit codes: 0 rendered, 1 uncovered paths (with the flag), 2 usage or unreadable input.
 */
final class SurfaceTableCommand {
    static final String USAGE = "usage: surface <report.json|-> [--fail-on-uncovered]   (- reads standard input)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SurfaceTableCommand() {
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length < 1 || args.length > 2 || args.length == 2 && !"--fail-on-uncovered".equals(args[1])) {
            err.println(USAGE);
            return 2;
        }
        JsonNode report;
        try {
            report = "-".equals(args[0]) ? JSON.readTree(in) : JSON.readTree(Files.readAllBytes(Path.of(args[0])));
        } catch (IOException e) {
            err.println("cannot read " + args[0] + ": " + e.getMessage());
            return 2;
        }
        // The realm's report, or one client's (GET .../surface/{clientId}).
        JsonNode clients = report.has("clientId") ? JSON.createArrayNode().add(report) : report.path("clients");
        if (!clients.isArray()) {
            err.println(args[0] + " is not an issuance-surface report (neither \"clients\" nor \"clientId\")");
            return 2;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"CLIENT", "TYPE", "PATH", "COVERAGE", "POLICIES"});
        List<String> findings = new ArrayList<>();
        long uncovered = 0;
        for (JsonNode client : clients) {
            String id = client.path("clientId").asText();
            String type = client.path("accessType").asText();
            for (JsonNode path : client.path("paths")) {
                String coverage = path.path("coverage").asText();
                uncovered += "uncovered".equals(coverage) ? 1 : 0;
                rows.add(new String[]{id, type, path.path("path").asText(), coverage, policies(path)});
            }
            if (client.path("paths").isEmpty()) {
                rows.add(new String[]{id, type, "-", "-", ""});
            }
            for (JsonNode f : client.path("findings")) {
                findings.add(id + "  " + f.path("severity").asText() + "  " + f.path("id").asText() + ": "
                        + f.path("message").asText());
            }
        }
        print(rows, out);
        out.println();
        out.println(findings.isEmpty() ? "no findings" : "findings:");
        findings.forEach(f -> out.println("  " + f));
        out.println();
        out.println(clients.size() + " clients, " + (rows.size() - 1) + " rows, " + uncovered + " uncovered paths, "
                + findings.size() + " findings");
        return args.length == 2 && uncovered > 0 ? 1 : 0;
    }

    private static String policies(JsonNode path) {
        List<String> names = new ArrayList<>();
        for (JsonNode p : path.path("policies")) {
            String stored = p.path("storedPolicy").isTextual() ? " [" + p.path("storedPolicy").asText() + "]" : "";
            names.add(p.path("clientPolicy").asText() + stored + (p.path("always").asBoolean() ? "" : " (if)"));
        }
        return String.join(", ", names);
    }

    private static void print(List<String[]> rows, PrintStream out) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
