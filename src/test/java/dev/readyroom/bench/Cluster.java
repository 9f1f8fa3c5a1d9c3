package dev.readyroom.bench;

import dev.readyroom.testkit.SharedRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code cluster} target: a redis-server of its own and two service nodes on it, all pinned to the
 * server core, sharing one record database on the machine's PostgreSQL. Rooms are created on node A;
 * their members alternate between A and B, so every event crosses nodes.
 */
final class Cluster implements ServerUnderTest {
    private static final String RECORD_DATABASE = "readyroom_bench";

    private final Path redisDir;
    private Process redis;
    private ServerProcess nodeA;
    private ServerProcess nodeB;

    private Cluster(Path redisDir) {
        this.redisDir = redisDir;
    }

    /** Starts Redis, empties the record, then node A and, once A has migrated the record, node B. */
    static Cluster start(Bench.Options options) throws Exception {
        Path bench = Path.of("target", "bench");
        Files.createDirectories(bench);
        Cluster cluster = new Cluster(Files.createTempDirectory(bench, "cluster-redis-"));
        try {
            cluster.redis = startRedis(options, cluster.redisDir);
            List<String> record = freshMachineRecord();
            String redisUrl = "redis://127.0.0.1:" + options.redisPort;
            cluster.nodeA = ServerProcess.service("node A", options, options.port, "cluster-a.log", redisUrl, record);
            cluster.nodeB = ServerProcess.service("node B", options, options.port + 1, "cluster-b.log", redisUrl,
                    record);
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public LoadGenerator.Target target() {
        return new LoadGenerator.Target("cluster",
                List.of(new LoadGenerator.Endpoint("127.0.0.1", nodeA.port),
                        new LoadGenerator.Endpoint("127.0.0.1", nodeB.port)),
                List.of(new LoadGenerator.ServerPid("node A", nodeA.pid(), true),
                        new LoadGenerator.ServerPid("node B", nodeB.pid(), true),
                        new LoadGenerator.ServerPid("redis", redis.pid(), false)),
                MACHINE_RECORD_NOTE);
    }

    private static Process startRedis(Bench.Options options, Path dir) throws IOException, InterruptedException {
        Path log = Path.of("target", "bench", "cluster-redis.log");
        Process redis = new ProcessBuilder(ServerProcess.pinned(options, "redis-server", "--port",
                String.valueOf(options.redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toAbsolutePath().toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answersPing(options.redisPort)) {
            if (!redis.isAlive() || System.nanoTime() > deadline) {
                redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("redis-server did not start on port " + options.redisPort + "; see "
                        + log);
            }
            Thread.sleep(50);
        }
        return redis;
    }

    private static boolean answersPing(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    static final String MACHINE_RECORD_NOTE = "the record's PostgreSQL (the machine's, at " + SharedRecord.POSTGRES
            + ": shared with the machine, not pinned, its CPU time and memory not counted above)";

    /** Every run starts on an empty record (its first node migrates it), so runs never measure each other's rows. */
    static List<String> freshMachineRecord() throws SQLException {
        return SharedRecord.fresh(RECORD_DATABASE).serviceOptions();
    }

    /** Nodes first, so they stop while Redis still answers; then Redis. */
    @Override
    public void close() throws InterruptedException {
        try {
            if (nodeB != null) {
                nodeB.close();
            }
            if (nodeA != null) {
                nodeA.close();
            }
        } finally {
            if (redis != null) {
                redis.destroy();
                if (!redis.waitFor(10, TimeUnit.SECONDS)) {
                    redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            try {
                Files.deleteIfExists(redisDir);
            } catch (IOException e) {
                // Redis wrote something after all; it only takes room under target/.
            }
        }
    }
}
