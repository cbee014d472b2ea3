package io.mintgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The references inside a pod's storage that no schema sees: a mount names a volume (or a StatefulSet claim
 * template), a claim or Secret volume names something that exists, the spool directory is on a persistent mount,
 * and each file an option reads from a Secret (checkpoint-key, kafka-properties-file) is a key of the Secret
 * mounted where the option points.
 */
final class PodVolumes {

    private PodVolumes() {
    }

    static List<String> problems(String where, JsonNode volumes, JsonNode mounts, List<String> claimTemplates,
                                 Set<String> claims, Map<String, Set<String>> secrets, String spoolDir,
                                 List<String> secretFiles) {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode v : volumes) {
            String name = v.path("name").asText();
            byName.put(name, v);
            if (v.has("persistentVolumeClaim")) {
                String claim = v.path("persistentVolumeClaim").path("claimName").asText();
                if (!claims.contains(claim)) {
                    problems.add(where + ".volumes " + name + ": claim \"" + claim + "\" is not defined");
                }
            }
            if (v.has("secret")) {
                problems.addAll(Manifests.secretRefProblems(where + ".volumes " + name,
                        v.path("secret").path("secretName").asText(), null, secrets));
            }
        }
        boolean spoolSeen = spoolDir == null;
        Set<String> filesNotMounted = new LinkedHashSet<>(secretFiles);
        for (JsonNode m : mounts) {
            String name = m.path("name").asText();
            String path = m.path("mountPath").asText();
            JsonNode volume = byName.get(name);
            boolean claimTemplate = claimTemplates.contains(name);
            if (volume == null && !claimTemplate) {
                problems.add(where + " volumeMounts " + name + ": no volume or claim template of that name");
                continue;
            }
            if (path.equals(spoolDir)) {
                spoolSeen = true;
                if (!claimTemplate && !volume.has("persistentVolumeClaim")) {
                    problems.add(where + " volumeMounts " + name + ": the spool-dir " + spoolDir
                            + " is not on a persistent volume");
                }
            }
            for (String file : secretFiles) {
                if (volume != null && volume.has("secret") && file.startsWith(path + "/")) {
                    problems.addAll(Manifests.secretRefProblems(where + " file " + file,
                            volume.path("secret").path("secretName").asText(), file.substring(path.length() + 1),
                            secrets));
                    filesNotMounted.remove(file);
                }
            }
        }
        if (!spoolSeen) {
            problems.add(where + ": nothing is mounted at the spool-dir " + spoolDir);
        }
        filesNotMounted.forEach(f -> problems.add(where + ": no Secret volume is mounted where " + f + " is read"));
        return problems;
    }
}
