package dev.readyroom.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The shipped deployment files, read with a real YAML parser (SnakeYAML, which resolves the
 * compose file's anchors and {@code <<} merge keys as docker compose does): docker-compose.yml,
 * the Kubernetes manifests in deploy/k8s, and the nginx configuration.
 */
final class DeploymentFiles {
    static final Path COMPOSE = Path.of("docker-compose.yml");
    static final Path NGINX = Path.of("src", "main", "docker", "nginx.conf");
    static final Path K8S = Path.of("deploy", "k8s");
    /** The compose file's service nodes: nginx.conf's upstream servers. */
    static final List<String> NODES = List.of("node1", "node2");

    private DeploymentFiles() {
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    /** docker-compose.yml as maps and lists. */
    static Map<String, Object> compose() {
        try {
            return yaml().load(Files.readString(COMPOSE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A compose service, by name; fails if there is none. */
    static Map<String, Object> service(String name) {
        Map<String, Object> services = map(compose(), "services");
        if (!services.containsKey(name)) {
            throw new AssertionError("docker-compose.yml has no service " + name + ": " + services.keySet());
        }
        return map(services, name);
    }

    /** A compose service's environment as names and values (the list form {@code NAME=value} too). */
    static Map<String, String> environment(String serviceName) {
        Object environment = service(serviceName).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> entries) {
            entries.forEach((name, value) -> result.put(String.valueOf(name), value == null ? "" : String.valueOf(value)));
        } else if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String[] nameValue = String.valueOf(entry).split("=", 2);
                result.put(nameValue[0], nameValue.length > 1 ? nameValue[1] : "");
            }
        }
        return result;
    }

    /** Every document of every YAML file in deploy/k8s, in file name order. */
    static List<Map<String, Object>> k8sDocuments() {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : yaml().loadAll(Files.readString(file))) {
                    if (document != null) {
                        documents.add(asMap(document, file.toString()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** The one Kubernetes object of {@code kind} in deploy/k8s; fails if there is none or several. */
    static Map<String, Object> k8s(String kind) {
        List<Map<String, Object>> found = k8sDocuments().stream().filter(d -> kind.equals(d.get("kind"))).toList();
        if (found.size() != 1) {
            throw new AssertionError("deploy/k8s has " + found.size() + " objects of kind " + kind + ", not one");
        }
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return asMap(parent.get(key), key);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof List<?>)) {
            throw new AssertionError(key + " is not a list: " + value);
        }
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value, String what) {
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError(what + " is not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }

    /** Walks maps by key and lists by index: {@code at(deployment, "spec", "template", "spec")}. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object root, Object... path) {
        Object current = root;
        for (Object step : path) {
            if (step instanceof Integer index && current instanceof List<?> items) {
                current = items.get(index);
            } else if (current instanceof Map<?, ?> entries && entries.containsKey(step)) {
                current = entries.get(step);
            } else {
                throw new AssertionError("No " + step + " in " + current);
            }
        }
        return (T) current;
    }
}
