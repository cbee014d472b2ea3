package io.mintgate.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The Grafana dashboard and the Prometheus alert rules in {@code deploy/observability/}: every PromQL expression
 * they hold (by where it is), the metric names each reads, and what is wrong with either file's shape.
 */
public final class ObservabilityFiles {

    public static final Path DIR = Path.of(System.getProperty("it.observability.dir", "../deploy/observability"));
    public static final Path DASHBOARD = DIR.resolve("mintgate-dashboard.json");
    public static final Path ALERTS = DIR.resolve("mintgate-alerts.yaml");

    /**
     * PromQL's functions, aggregations, keywords and operators: every other identifier outside label matchers,
     * ranges, grouping clauses and strings is a metric name. An unknown function shows up as a missing metric, so the
     * check fails rather than passes when the list is short.
     */
    static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "topk", "bottomk", "quantile",
            "stddev", "stdvar", "group", "count_values", "by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "rate", "irate", "increase", "delta", "idelta", "deriv",
            "histogram_quantile", "label_values", "label_replace", "clamp_min", "clamp_max", "abs", "absent",
            "absent_over_time", "changes", "resets", "time", "vector", "scalar", "avg_over_time", "max_over_time",
            "min_over_time", "sum_over_time", "predict_linear", "round", "ceil", "floor", "inf", "nan");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private ObservabilityFiles() {
    }

    public static JsonNode dashboard() {
        return read(JSON, DASHBOARD);
    }

    public static JsonNode alerts() {
        return read(YAML, ALERTS);
    }

    /** Every PromQL expression of both files, keyed by where it is ({@code file: panel 'x' target A}). */
    public static Map<String, String> expressions() {
        Map<String, String> all = new LinkedHashMap<>();
        JsonNode dashboard = dashboard();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                all.put("dashboard: variable '" + variable.path("name").asText() + "'",
                        variable.path("query").path("query").asText(variable.path("query").asText()));
            }
        }
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                all.put("dashboard: panel '" + panel.path("title").asText() + "' target " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode group : alerts().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                all.put("alerts: group '" + group.path("name").asText() + "' alert '" + rule.path("alert").asText() + "'",
                        rule.path("expr").asText());
            }
        }
        return all;
    }

    /** The metric names an expression reads. */
    public static Set<String> metricNames(String expr) {
        String stripped = expr
                .replaceAll("label_values\\(([^,()]+),\\s*[a-zA-Z_]+\\)", "label_values($1)") // its 2nd argument is a label
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")          // strings
                .replaceAll("\\{[^}]*}", " ")                          // label matchers
                .replaceAll("\\[[^]]*]", " ")                          // ranges and subqueries
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " $1 ")
                .replaceAll("\\$\\{?[a-zA-Z_]+}?", " ")                // Grafana variables
                .replaceAll("\\b\\d+(\\.\\d+)?([eE][+-]?\\d+)?[smhdwy]?\\b", " "); // numbers and durations
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(stripped);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** What is wrong with the shape of the two files: a Grafana dashboard with panels that query, Prometheus rule groups. */
    public static List<String> shapeProblems() {
        List<String> problems = new ArrayList<>();
        JsonNode dashboard = dashboard();
        if (dashboard.path("title").asText().isBlank() || dashboard.path("uid").asText().isBlank()) {
            problems.add("dashboard: needs a title and a uid");
        }
        if (!dashboard.path("schemaVersion").isInt()) {
            problems.add("dashboard: schemaVersion must be a number");
        }
        List<JsonNode> panels = panels(dashboard);
        if (panels.isEmpty()) {
            problems.add("dashboard: no panels");
        }
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (!ids.add(panel.path("id").asInt(-1))) {
                problems.add("dashboard: panel id " + panel.path("id") + " is missing or repeated");
            }
            JsonNode grid = panel.path("gridPos");
            for (String field : List.of("h", "w", "x", "y")) {
                if (!grid.path(field).isInt()) {
                    problems.add("dashboard: panel '" + panel.path("title").asText() + "' gridPos." + field + " missing");
                }
            }
        }
        for (JsonNode panel : panels) {
            String where = "dashboard: panel '" + panel.path("title").asText() + "'";
            if (panel.path("title").asText().isBlank() || panel.path("type").asText().isBlank()) {
                problems.add(where + ": needs a title and a type");
            }
            if (!panel.path("targets").isArray() || panel.path("targets").isEmpty()) {
                problems.add(where + ": no targets");
            }
            for (JsonNode target : panel.path("targets")) {
                if (target.path("expr").asText().isBlank() || target.path("refId").asText().isBlank()) {
                    problems.add(where + ": a target without expr or refId");
                }
            }
        }
        JsonNode groups = alerts().path("groups");
        if (!groups.isArray() || groups.isEmpty()) {
            problems.add("alerts: no groups");
        }
        Set<String> groupNames = new TreeSet<>();
        for (JsonNode group : groups) {
            String name = group.path("name").asText();
            if (name.isBlank() || !groupNames.add(name)) {
                problems.add("alerts: a group without a name, or a repeated name '" + name + "'");
            }
            if (!group.path("rules").isArray() || group.path("rules").isEmpty()) {
                problems.add("alerts: group '" + name + "' has no rules");
            }
            group.fieldNames().forEachRemaining(field -> {
                if (!Set.of("name", "interval", "rules", "limit", "labels").contains(field)) {
                    problems.add("alerts: group '" + name + "' has an unknown field " + field);
                }
            });
            for (JsonNode rule : group.path("rules")) {
                String where = "alerts: group '" + name + "' alert '" + rule.path("alert").asText() + "'";
                if (!rule.path("alert").asText().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    problems.add(where + ": alert must be a name");
                }
                if (rule.path("expr").asText().isBlank()) {
                    problems.add(where + ": no expr");
                }
                if (rule.has("for") && !rule.path("for").asText().matches("\\d+[smhdwy]")) {
                    problems.add(where + ": for must be a duration such as 5m");
                }
                if (!rule.path("labels").path("severity").isTextual()) {
                    problems.add(where + ": needs labels.severity");
                }
                if (rule.path("annotations").path("summary").asText().isBlank()) {
                    problems.add(where + ": needs annotations.summary");
                }
                rule.fieldNames().forEachRemaining(field -> {
                    if (!Set.of("alert", "expr", "for", "keep_firing_for", "labels", "annotations").contains(field)) {
                        problems.add(where + ": unknown field " + field);
                    }
                });
            }
        }
        return problems;
    }

    /** The dashboard's panels that query, rows' nested panels included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
