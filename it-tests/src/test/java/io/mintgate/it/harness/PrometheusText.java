package io.mintgate.it.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One scrape of a server's {@code /metrics}, parsed from the Prometheus text exposition format: each sample line is
 * {@code name{label="value",...} value}. Lookups name the labels they care about; a series matches when it has those
 * label values, whatever else it carries.
 */
public final class PrometheusText {

    /** A sample: metric name, its labels, its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final java.util.List<Sample> samples;

    private PrometheusText(java.util.List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText scrape(KeycloakRuntime keycloak) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(keycloak.managementUri() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.body());
            }
            return parse(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static PrometheusText parse(String text) {
        java.util.List<Sample> samples = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            Map<String, String> labels = new TreeMap<>();
            String name;
            String rest;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int end = parseLabels(line, brace + 1, labels);
                rest = line.substring(end + 1).trim();
            } else {
                name = line.substring(0, space);
                rest = line.substring(space + 1).trim();
            }
            String value = rest.split(" ")[0]; // an optional timestamp follows
            samples.add(new Sample(name, labels, Double.parseDouble(value.replace("+Inf", "Infinity"))));
        }
        return new PrometheusText(samples);
    }

    /** Reads {@code k="v",...} from {@code from}; returns the index of the closing brace. */
    private static int parseLabels(String line, int from, Map<String, String> labels) {
        int i = from;
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2; // after ="
            while (line.charAt(j) != '"') {
                if (line.charAt(j) == '\\') {
                    j++;
                    char c = line.charAt(j);
                    value.append(c == 'n' ? '\n' : c);
                } else {
                    value.append(line.charAt(j));
                }
                j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i;
    }

    /** Every metric name in the scrape (histogram series by their own names: {@code x_bucket}, {@code x_count}, ...). */
    public Set<String> names() {
        return samples.stream().map(Sample::name).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** The samples of {@code name} whose labels include {@code labels} (pairs: key, value, ...). */
    public java.util.List<Sample> find(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(wanted.entrySet())).toList();
    }

    /** The one series of {@code name} with exactly these label values among those it has; 0 when there is none. */
    public double value(String name, String... labels) {
        java.util.List<Sample> found = find(name, labels);
        if (found.size() > 1) {
            throw new AssertionError("more than one series " + name + " " + java.util.Arrays.toString(labels) + ": " + found);
        }
        return found.isEmpty() ? 0 : found.get(0).value();
    }
}
