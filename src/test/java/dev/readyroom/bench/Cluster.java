package dev.readyroom.bench;

import dev.readyroom.testkit.RecordDatabase;
import dev.readyroom.testkit.RedisServer;
import dev.readyroom.testkit.ServiceNode;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code cluster} target: a redis-server of its own and two service nodes on it, all pinned to the
 * server core, sharing one record database on the machine's PostgreSQL. Rooms are created on node A;
 * their members alternate between A and B, so every event crosses nodes.
 */
final class Cluster implements ServerUnderTest {
    private static final String RECORD_DATABASE = "readyroom_bench";

    private RedisServer redis;
    private ServiceNode nodeA;
    private ServiceNode nodeB;

    private Cluster() {
    }

    /** Starts Redis, empties the record, then node A and, once A has migrated the record, node B. */
    static Cluster start(Bench.Options options) throws Exception {
        Cluster cluster = new Cluster();
        try {
            cluster.redis = RedisServer.startedForBenchmark(options.redisPort, ServerProcess.launcher(options),
                    Path.of("target", "bench", "cluster-redis.log"));
            List<String> record = freshMachineRecord();
            cluster.nodeA = node("node A", options, options.port, "cluster-a.log", cluster.redis, record);
            cluster.nodeB = node("node B", options, options.port + 1, "cluster-b.log", cluster.redis, record);
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    private static ServiceNode node(String name, Bench.Options options, int port, String logName, RedisServer redis,
            List<String> record) throws Exception {
        return ServerProcess.service(name, options, port, logName).redis(redis.url()).properties(record).startReady();
    }

    @Override
    public LoadGenerator.Target target() {
        return new LoadGenerator.Target("cluster",
                List.of(new LoadGenerator.Endpoint("127.0.0.1", nodeA.port()),
                        new LoadGenerator.Endpoint("127.0.0.1", nodeB.port())),
                List.of(new LoadGenerator.ServerPid("node A", nodeA.pid(), true),
                        new LoadGenerator.ServerPid("node B", nodeB.pid(), true),
                        new LoadGenerator.ServerPid("redis", redis.pid(), false)),
                MACHINE_RECORD_NOTE);
    }

    static final String MACHINE_RECORD_NOTE = "the record's PostgreSQL (the machine's, at " + RecordDatabase.POSTGRES
            + ": shared with the machine, not pinned, its CPU time and memory not counted above)";

    /** Every run starts on an empty record (its first node migrates it), so runs never measure each other's rows. */
    static List<String> freshMachineRecord() {
        return RecordDatabase.fresh(RECORD_DATABASE).serviceOptions();
    }

    /** Nodes first, so they stop while Redis still answers; then Redis. */
    @Override
    public void close() throws Exception {
        try {
            if (nodeB != null) {
                nodeB.close();
            }
            if (nodeA != null) {
                nodeA.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }
}
