package dev.readyroom.deploy;

import static dev.readyroom.deploy.DeploymentFiles.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.config.ClusterConfig;
import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.config.RecordConfig;
import dev.readyroom.config.RedisConfig;
import io.smallrye.config.ConfigMappings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped deployment files, parsed with a real YAML parser and checked against the service:
 * every environment variable they set is a configuration key the service reads at run time, and
 * ports, probes, the proxy's timeouts and the compose file's wiring match what the service does.
 * NginxTopologyIT runs nginx.conf and the compose file's node environment for real.
 */
class DeploymentFilesTest {
    private static final Path APPLICATION_PROPERTIES = Path.of("src", "main", "resources", "application.properties");

    // ---- what the service reads

    /**
     * Every environment variable the service reads at run time: Ready Room's own config mappings
     * (SmallRye's name rule: upper case, anything else an underscore), the variables
     * application.properties names in {@code ${...}}, and the run-time properties of every Quarkus
     * extension on the classpath (each extension's config model lists its variables and phases).
     */
    private static Set<String> environmentTheServiceReads() throws IOException {
        Set<String> names = new HashSet<>();
        for (Class<?> mapping : List.of(ReadyRoomConfig.class, ClusterConfig.class, RecordConfig.class,
                RedisConfig.class)) {
            ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping)).keySet()
                    .forEach(property -> names.add(property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase()));
        }
        Matcher referenced = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(Files.readString(APPLICATION_PROPERTIES));
        while (referenced.find()) {
            names.add(referenced.group(1));
        }
        ObjectMapper json = new ObjectMapper();
        List<URL> models = Collections.list(DeploymentFilesTest.class.getClassLoader()
                .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json"));
        assertThat(models).as("Quarkus extensions' config models on the classpath").hasSizeGreaterThan(5);
        for (URL model : models) {
            try (InputStream in = model.openStream()) {
                collectRunTimeVariables(json.readTree(in), names);
            }
        }
        return names;
    }

    private static void collectRunTimeVariables(JsonNode node, Set<String> names) {
        JsonNode variable = node.path("path").path("environmentVariable");
        if (variable.isTextual() && "RUN_TIME".equals(node.path("phase").asText())) {
            names.add(variable.asText());
        }
        node.forEach(child -> collectRunTimeVariables(child, names));
    }

    @Test
    void theConfigMappingsListedAreEveryMappingOfTheService() throws IOException {
        List<String> mappings = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(source).contains("@ConfigMapping(")) {
                    mappings.add(source.getFileName().toString());
                }
            }
        }
        assertThat(mappings).containsExactlyInAnyOrder("ReadyRoomConfig.java", "ClusterConfig.java", "RecordConfig.java",
                "RedisConfig.java");
    }

    @Test
    void theKnownVariablesIncludeTheServiceOwnAndQuarkusRunTimeOnes() throws IOException {
        Set<String> known = environmentTheServiceReads();
        assertThat(known).contains("READYROOM_PUBLIC_URL", "READYROOM_CLUSTER_NODE_LEASE", "REDIS_URL",
                "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED");
        // Build-time properties are fixed in the packaged app: setting them at run time does nothing.
        assertThat(known).doesNotContain("READYROOM_NO_SUCH_KEY", "QUARKUS_DATASOURCE_DB_KIND",
                "QUARKUS_HTTP_ROOT_PATH");
    }

    // ---- docker-compose.yml

    @Test
    void composeNodesSetOnlyVariablesTheServiceReads() throws IOException {
        Set<String> known = environmentTheServiceReads();
        Map<String, String> first = DeploymentFiles.environment(DeploymentFiles.NODES.get(0));
        assertThat(first).containsKeys("REDIS_URL", "READYROOM_PUBLIC_URL", "QUARKUS_DATASOURCE_REACTIVE_URL",
                "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING");
        for (String node : DeploymentFiles.NODES) {
            assertThat(DeploymentFiles.environment(node)).as(node).isEqualTo(first);
            assertThat(DeploymentFiles.environment(node).keySet()).as("%s's variables", node).isSubsetOf(known);
        }
    }

    @Test
    void composeWiresTheNodesToItsRedisPostgresAndNginx() throws IOException {
        Map<String, String> node = DeploymentFiles.environment(DeploymentFiles.NODES.get(0));
        assertThat(URI.create(node.get("REDIS_URL")).getHost()).isEqualTo("redis");
        assertThat(DeploymentFiles.service("redis").get("command").toString()).contains("--appendonly, yes");

        URI reactive = URI.create(node.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
        URI jdbc = URI.create(node.get("QUARKUS_DATASOURCE_JDBC_URL").substring("jdbc:".length()));
        Map<String, String> postgres = DeploymentFiles.environment("postgres");
        for (URI database : List.of(reactive, jdbc)) {
            assertThat(database.getHost()).isEqualTo("postgres");
            assertThat(database.getPath()).isEqualTo("/" + postgres.get("POSTGRES_DB"));
        }
        assertThat(node.get("QUARKUS_DATASOURCE_USERNAME")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(node.get("QUARKUS_DATASOURCE_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));

        // The node's health check is its readiness, on the port the service listens on.
        int servicePort = Integer.parseInt(applicationProperty("quarkus.http.port"));
        assertThat(DeploymentFiles.service(DeploymentFiles.NODES.get(0)).get("healthcheck").toString())
                .contains("http://localhost:" + servicePort + "/q/health/ready");

        // nginx gets the shipped file, balances over exactly the compose nodes on the service's port,
        // and listens on the port the compose file publishes, which the public URL names.
        Map<String, Object> lb = DeploymentFiles.service("lb");
        assertThat(DeploymentFiles.list(lb, "volumes")).contains("./" + DeploymentFiles.NGINX.toString().replace('\\', '/')
                + ":/etc/nginx/nginx.conf:ro");
        String nginx = Files.readString(DeploymentFiles.NGINX);
        List<String> upstreams = new ArrayList<>();
        Matcher server = Pattern.compile("(?m)^\\s*server\\s+([A-Za-z0-9.-]+):(\\d+)").matcher(nginx);
        while (server.find()) {
            upstreams.add(server.group(1));
            assertThat(Integer.parseInt(server.group(2))).as("%s's port", server.group(1)).isEqualTo(servicePort);
        }
        assertThat(upstreams).containsExactlyElementsOf(DeploymentFiles.NODES);
        Matcher listen = Pattern.compile("(?m)^\\s*listen\\s+(\\d+)\\s*;").matcher(nginx);
        assertThat(listen.find()).isTrue();
        String published = String.valueOf(DeploymentFiles.list(lb, "ports").get(0));
        assertThat(published).isEqualTo(URI.create(node.get("READYROOM_PUBLIC_URL")).getPort() + ":" + listen.group(1));
    }

    // ---- nginx.conf

    @Test
    void nginxPassesTheUpgradeAndOutlastsTheServicePings() throws IOException {
        String nginx = Files.readString(DeploymentFiles.NGINX);
        assertThat(nginx).contains("proxy_http_version 1.1;", "proxy_set_header Upgrade $websocket_upgrade;",
                "proxy_set_header Connection $connection_upgrade;", "proxy_set_header Host $http_host;",
                "proxy_set_header X-Forwarded-For $remote_addr;");
        // An idle room socket carries only the service's pings: nginx must not time it out before two have passed.
        Duration ping = Duration.parse("PT" + applicationProperty("quarkus.websockets-next.server.auto-ping-interval")
                .toUpperCase());
        for (String timeout : List.of("proxy_read_timeout", "proxy_send_timeout")) {
            Matcher seconds = Pattern.compile(timeout + "\\s+(\\d+)s;").matcher(nginx);
            assertThat(seconds.find()).as(timeout + " in seconds").isTrue();
            assertThat(Duration.ofSeconds(Long.parseLong(seconds.group(1)))).as(timeout)
                    .isGreaterThanOrEqualTo(ping.multipliedBy(2));
        }
    }

    // ---- deploy/k8s

    @Test
    void k8sSetsOnlyVariablesTheServiceReadsAndAllThatClusterModeNeeds() throws IOException {
        Set<String> known = environmentTheServiceReads();
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, Object> container = container();
        for (Object source : DeploymentFiles.list(container, "envFrom")) {
            Map<String, Object> from = DeploymentFiles.asMap(source, "envFrom");
            if (from.containsKey("configMapRef")) {
                Map<String, Object> config = DeploymentFiles.k8s("ConfigMap");
                assertThat((String) at(from, "configMapRef", "name")).isEqualTo(at(config, "metadata", "name"));
                DeploymentFiles.map(config, "data").forEach((name, value) -> environment.put(name, (String) value));
            } else {
                Map<String, Object> secret = DeploymentFiles.k8s("Secret");
                assertThat((String) at(from, "secretRef", "name")).isEqualTo(at(secret, "metadata", "name"));
                DeploymentFiles.map(secret, "stringData").forEach((name, value) -> environment.put(name, (String) value));
            }
        }
        if (container.containsKey("env")) {
            for (Object variable : DeploymentFiles.list(container, "env")) {
                environment.put(at(variable, "name"), String.valueOf(DeploymentFiles.asMap(variable, "env").get("value")));
            }
        }
        assertThat(environment.keySet()).isSubsetOf(known);
        // Cluster mode (REDIS_URL), a shared record, the public URL, and the client's address from the proxy.
        assertThat(environment).containsKeys("REDIS_URL", "READYROOM_PUBLIC_URL", "QUARKUS_DATASOURCE_REACTIVE_URL",
                "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED");
        assertThat(URI.create(environment.get("REDIS_URL")).getScheme()).isIn("redis", "rediss");
        // Secrets are not in the ConfigMap.
        assertThat(DeploymentFiles.map(DeploymentFiles.k8s("ConfigMap"), "data")).doesNotContainKeys("REDIS_URL",
                "QUARKUS_DATASOURCE_PASSWORD");
    }

    @Test
    void k8sProbesAndPortsAreTheService() throws IOException {
        Map<String, Object> container = container();
        int servicePort = Integer.parseInt(applicationProperty("quarkus.http.port"));
        Map<String, Object> port = DeploymentFiles.asMap(DeploymentFiles.list(container, "ports").get(0), "port");
        assertThat(port).containsEntry("name", "http").containsEntry("containerPort", servicePort);
        Map<String, String> paths = new HashMap<>();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertThat((Object) at(container, probe, "httpGet", "port")).as(probe).isEqualTo("http");
            paths.put(probe, at(container, probe, "httpGet", "path"));
        }
        // SmallRye Health's paths (NginxTopologyIT asks the running nodes for each of them).
        assertThat(paths).containsEntry("readinessProbe", "/q/health/ready")
                .containsEntry("livenessProbe", "/q/health/live").containsEntry("startupProbe", "/q/health/started");
        // Readiness is checked more often than the load balancer would give up on a node.
        assertThat((Integer) at(container, "readinessProbe", "periodSeconds")).isLessThanOrEqualTo(10);
        assertThat(container).containsKey("resources");
        assertThat((Object) at(container, "resources", "requests", "memory")).isNotNull();
        assertThat((Object) at(container, "resources", "limits", "memory")).isEqualTo(at(container, "resources",
                "requests", "memory"));

        Map<String, Object> service = DeploymentFiles.k8s("Service");
        assertThat((Object) at(service, "spec", "ports", 0, "targetPort")).isEqualTo("http");
    }

    @Test
    void k8sGivesAStoppingPodTimeForTheOrderlyStop() throws IOException {
        Map<String, Object> pod = at(DeploymentFiles.k8s("Deployment"), "spec", "template", "spec");
        long preStop = 0;
        List<Object> command = at(container(), "lifecycle", "preStop", "exec", "command");
        if (command.size() == 2 && "sleep".equals(command.get(0))) {
            preStop = Long.parseLong(String.valueOf(command.get(1)));
        }
        // OrderlyStop: up to 5 s for the participants to be shown away, then the record's outbox.
        String drainDefault = ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(RecordConfig.class))
                .get("readyroom.record.drain-on-shutdown").getDefaultValue();
        Duration drain = Duration.parse("PT" + drainDefault.toUpperCase());
        long needed = preStop + 5 + drain.toSeconds();
        assertThat(((Number) pod.get("terminationGracePeriodSeconds")).longValue()).isGreaterThan(needed);
    }

    @Test
    void k8sKeepsOnePodServingThroughEveryVoluntaryDisruption() {
        Map<String, Object> deployment = DeploymentFiles.k8s("Deployment");
        Map<String, Object> podLabels = at(deployment, "spec", "template", "metadata", "labels");
        assertThat(podLabels).containsAllEntriesOf(at(deployment, "spec", "selector", "matchLabels"));
        assertThat(podLabels).containsAllEntriesOf(at(DeploymentFiles.k8s("Service"), "spec", "selector"));
        Map<String, Object> budget = DeploymentFiles.k8s("PodDisruptionBudget");
        assertThat(podLabels).containsAllEntriesOf(at(budget, "spec", "selector", "matchLabels"));

        int replicas = at(deployment, "spec", "replicas");
        assertThat(replicas).isGreaterThanOrEqualTo(2);
        assertThat((Integer) at(budget, "spec", "minAvailable")).isBetween(1, replicas - 1);
        assertThat((Integer) at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable")).isZero();
    }

    @Test
    void theKustomizationListsEveryManifest() throws IOException {
        List<String> files;
        try (Stream<Path> all = Files.list(DeploymentFiles.K8S)) {
            files = all.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml")).toList();
        }
        assertThat(DeploymentFiles.list(DeploymentFiles.k8s("Kustomization"), "resources"))
                .containsExactlyInAnyOrderElementsOf(files);
        for (Map<String, Object> document : DeploymentFiles.k8sDocuments()) {
            assertThat(document).containsKeys("apiVersion", "kind");
        }
    }

    private static Map<String, Object> container() {
        List<Object> containers = at(DeploymentFiles.k8s("Deployment"), "spec", "template", "spec", "containers");
        assertThat(containers).hasSize(1);
        return DeploymentFiles.asMap(containers.get(0), "container");
    }

    private static String applicationProperty(String key) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(APPLICATION_PROPERTIES)) {
            properties.load(in);
        }
        String value = properties.getProperty(key);
        assertThat(value).as(key + " in application.properties").isNotNull();
        return value;
    }
}
