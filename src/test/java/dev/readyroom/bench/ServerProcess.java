package dev.readyroom.bench;

import dev.readyroom.testkit.ChildProcess;
import dev.readyroom.testkit.ServiceNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A server under test in its own JVM, pinned to one core with taskset so /proc measures only it. */
final class ServerProcess implements ServerUnderTest {
    /** How long a server may take to be ready. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final int port;
    private final long pid;
    private final AutoCloseable process;
    /** What the server uses that is not measured, printed with the figures. */
    private final String unmeasured;

    private ServerProcess(String name, int port, long pid, AutoCloseable process, String unmeasured) {
        this.name = name;
        this.port = port;
        this.pid = pid;
        this.process = process;
        this.unmeasured = unmeasured;
    }

    @Override
    public LoadGenerator.Target target() {
        return new LoadGenerator.Target(name, List.of(new LoadGenerator.Endpoint("127.0.0.1", port)),
                List.of(new LoadGenerator.ServerPid(name, pid, true)), unmeasured);
    }

    /** Under the servers' niceness, on the server core; nice and taskset exec the command, so the pid is its. */
    static List<String> launcher(Bench.Options options) {
        return List.of("nice", "-n", String.valueOf(options.nice), "taskset", "-c", options.serverCpu);
    }

    /** The baseline, or the service standalone. */
    static ServerProcess start(String target, Bench.Options options) throws Exception {
        if (target.equals("baseline")) {
            return baseline(options);
        }
        ServiceNode.Builder service = service(target, options, options.port, target + ".log");
        if (options.record.equals("machine")) {
            ServiceNode node = service.properties(Cluster.freshMachineRecord()).startReady();
            return new ServerProcess(target, node.port(), node.pid(), node, Cluster.MACHINE_RECORD_NOTE);
        }
        // The service's embedded record lives in target/, never in the user's own data directory.
        ServiceNode node = service.dataDir(Path.of("target", "bench", "postgres").toAbsolutePath()).startReady();
        return new ServerProcess(target, node.port(), node.pid(), node, "the embedded record's PostgreSQL (a "
                + "child process on the server core: it competes with the service, but its CPU time and memory are "
                + "not counted above)");
    }

    /** The packaged service as the benchmark runs it: pinned, on a fixed port, with the bench's JVM options. */
    static ServiceNode.Builder service(String name, Bench.Options options, int port, String logName) {
        return ServiceNode.named(name).launcher(launcher(options)).jvmOptions(options.jvmOptions).jar(options.jar)
                .port(port).log(Path.of("target", "bench", logName));
    }

    /** The raw baseline: a program of this classpath, not the service, launched and awaited the same way. */
    private static ServerProcess baseline(Bench.Options options) throws Exception {
        List<String> command = new ArrayList<>(launcher(options));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineServer.class.getName(),
                String.valueOf(options.port)));
        ChildProcess process = new ChildProcess("baseline", command, Path.of("target", "bench", "baseline.log"));
        AutoCloseable stop = () -> process.stop(Duration.ofSeconds(15));
        process.start();
        try {
            process.awaitHealthy(URI.create("http://127.0.0.1:" + options.port + "/health"), START_TIMEOUT);
        } catch (RuntimeException | InterruptedException e) {
            stop.close();
            throw e;
        }
        return new ServerProcess("baseline", options.port, process.pid(), stop, "");
    }

    @Override
    public void close() throws Exception {
        process.close();
    }
}
