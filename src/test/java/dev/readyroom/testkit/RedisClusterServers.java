package dev.readyroom.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of the test's own: three masters, each with a replica when asked, on free ports
 * of 127.0.0.1, made with {@code redis-cli --cluster create}. Without persistence (a killed master
 * comes back empty, as its replica takes over), and with a short node timeout, so a failover takes
 * about two seconds.
 */
public final class RedisClusterServers implements AutoCloseable {
    /** How long a master may not answer before its replica is promoted. */
    public static final int NODE_TIMEOUT_MILLIS = 1000;

    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();

    /** One redis-server of the cluster. */
    public record Node(int port, ChildProcess process) {
        public String address() {
            return "127.0.0.1:" + port;
        }
    }

    private RedisClusterServers(int masters, int replicasEach) throws IOException {
        dir = Files.createTempDirectory("readyroom-redis-cluster");
        for (int i = 0; i < masters * (1 + replicasEach); i++) {
            int port = RedisServer.freePort();
            List<String> command = List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
                    "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MILLIS), "--dir", dir.toString(),
                    "--save", "", "--appendonly", "no");
            nodes.add(new Node(port, new ChildProcess("redis-server (cluster) on port " + port, command,
                    dir.resolve("redis-" + port + ".log"))));
        }
    }

    /** Three masters with {@code replicasEach} replicas each, every slot covered. */
    public static RedisClusterServers started(int replicasEach) {
        RedisClusterServers cluster = null;
        try {
            cluster = new RedisClusterServers(3, replicasEach);
            cluster.create(replicasEach);
            return cluster;
        } catch (IOException | RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            throw new IllegalStateException("The Redis Cluster did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cluster.close();
            throw new IllegalStateException(e);
        }
    }

    private void create(int replicasEach) throws IOException, InterruptedException {
        for (Node node : nodes) {
            node.process().start();
        }
        for (Node node : nodes) {
            node.process().awaitReady("answering PING", Duration.ofSeconds(10), () -> "PONG".equals(cli(node, "PING")));
        }
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add(node.address()));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasEach), "--cluster-yes"));
        String output = run(command, 30);
        if (!output.contains("All 16384 slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + output);
        }
        await("cluster_state:ok on every node").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> nodes.stream()
                        .allMatch(node -> cli(node, "CLUSTER", "INFO").contains("cluster_state:ok")));
        if (replicasEach > 0) {
            await("every replica in sync").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> masters().stream().allMatch(master -> cli(master, "INFO", "replication")
                            .contains("connected_slaves:" + replicasEach)));
        }
    }

    /** The seed list the service takes in {@code REDIS_URL}: every node, comma-separated. */
    public String url() {
        return nodes.stream().map(node -> "redis://" + node.address()).collect(Collectors.joining(","));
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The nodes that are masters now (as a live node sees it). */
    public List<Node> masters() {
        return nodes.stream().filter(node -> node.process().alive())
                .filter(node -> cli(node, "ROLE").startsWith("master")).toList();
    }

    /** The master that serves {@code key} now, as a live node's CLUSTER NODES tells. */
    public Node masterOf(String key) {
        Node asked = anyLive();
        int slot = Integer.parseInt(cli(asked, "CLUSTER", "KEYSLOT", key));
        for (String line : cli(asked, "CLUSTER", "NODES").split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue; // a slot being migrated
                }
                String[] bounds = fields[i].split("-");
                int from = Integer.parseInt(bounds[0]);
                int to = bounds.length > 1 ? Integer.parseInt(bounds[1]) : from;
                if (slot >= from && slot <= to) {
                    String address = fields[1];
                    int port = Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
                    return nodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow();
                }
            }
        }
        throw new IllegalStateException("No master serves slot " + slot);
    }

    /** The replica of {@code master}. */
    public Node replicaOf(Node master) {
        String id = cli(master, "CLUSTER", "MYID");
        for (Node node : nodes) {
            if (node.process().alive() && cli(node, "CLUSTER", "NODES").lines()
                    .anyMatch(line -> line.contains("myself") && line.contains("slave " + id))) {
                return node;
            }
        }
        throw new IllegalStateException("No replica of " + master.address());
    }

    /** Waits until every replica of {@code master} has all of its writes. */
    public void awaitInSync(Node master) {
        await("replicas of " + master.address() + " in sync").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    String info = cli(master, "INFO", "replication");
                    String offset = field(info, "master_repl_offset");
                    return info.lines().filter(line -> line.startsWith("slave")).findAny().isPresent()
                            && info.lines().filter(line -> line.startsWith("slave"))
                            .allMatch(line -> line.contains("offset=" + offset + ","));
                });
    }

    private static String field(String info, String name) {
        return info.lines().filter(line -> line.startsWith(name + ":")).map(line -> line.substring(name.length() + 1))
                .findFirst().orElse("");
    }

    /** Starts a node that was killed again, on its port and cluster config: it rejoins the cluster. */
    public void restart(Node node) throws IOException, InterruptedException {
        node.process().start();
        node.process().awaitReady("answering PING", Duration.ofSeconds(10), () -> "PONG".equals(cli(node, "PING")));
    }

    /** kill -9 of one node. */
    public void kill(Node node) throws InterruptedException {
        node.process().crash();
    }

    /**
     * Waits until {@code node} is a master and every live node sees it so, the cluster whole again
     * (a client asks any of them for the slots), and every dead node marked failed.
     */
    public void awaitPromoted(Node node, Duration within) {
        await("promotion of " + node.address()).atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> cli(node, "ROLE").startsWith("master") && nodes.stream()
                        .filter(live -> live.process().alive()).allMatch(live -> agrees(live, node)));
    }

    private boolean agrees(Node asked, Node promoted) {
        if (!cli(asked, "CLUSTER", "INFO").contains("cluster_state:ok")) {
            return false;
        }
        for (String line : cli(asked, "CLUSTER", "NODES").split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 3) {
                continue;
            }
            boolean isPromoted = fields[1].startsWith(promoted.address() + "@");
            boolean dead = nodes.stream().anyMatch(node -> !node.process().alive()
                    && fields[1].startsWith(node.address() + "@"));
            if (isPromoted && !fields[2].contains("master")
                    || dead && !List.of(fields[2].split(",")).contains("fail")) {
                return false;
            }
        }
        return true;
    }

    private Node anyLive() {
        return nodes.stream().filter(node -> node.process().alive()).findFirst().orElseThrow();
    }

    /** Runs redis-cli against {@code node} and returns its output, trimmed. */
    public String cli(Node node, String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(node.port())));
        command.addAll(List.of(args));
        return run(command, 5);
    }

    private static String run(List<String> command, int seconds) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "";
            }
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("redis-cli failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            try {
                if (node.process().alive()) {
                    node.process().crash();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
