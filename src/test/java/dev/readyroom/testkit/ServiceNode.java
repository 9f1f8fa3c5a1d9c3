package dev.readyroom.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One service process: the packaged app ({@code mvn package}) on its own port, for the ITs and the
 * benchmark alike; standalone with its embedded record in a directory of its own, or in cluster mode
 * with a Redis URL. It can be stopped, crashed, frozen and started again on the same port and data.
 */
public final class ServiceNode implements AutoCloseable {
    /** How long a node may take to start: a few seconds alone, much longer on a busy machine. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final Path dataDir;
    /** True when the data directory is the node's own temporary one, deleted on close. */
    private final boolean ownDataDir;
    public final Path log;
    private final ChildProcess process;

    private ServiceNode(Builder builder) throws IOException {
        this.port = builder.port == 0 ? RedisServer.freePort() : builder.port;
        String fileName = "readyroom-" + builder.name.replace(' ', '-');
        this.log = builder.log != null ? builder.log : Files.createTempFile(fileName, ".log");
        // A node's embedded record goes to a directory of the test's, never the user's.
        this.ownDataDir = builder.dataDir == null;
        this.dataDir = ownDataDir ? Files.createTempDirectory(fileName + "-postgres") : builder.dataDir;
        List<String> command = new ArrayList<>(builder.launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(builder.jvmOptions);
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dreadyroom.record.data-dir=" + dataDir.toAbsolutePath()));
        // Every client of a test or a benchmark comes from 127.0.0.1: the limits per network
        // address, meant for real offices behind one address, are lifted (AdmissionTest tests them),
        // unless the clients bind addresses of their own to meet the defaults.
        if (!builder.defaultLimits) {
            command.addAll(List.of("-Dreadyroom.limits.sockets-per-address=1000000",
                    "-Dreadyroom.limits.upgrades-per-address-burst=1000000",
                    "-Dreadyroom.limits.rest-writes-per-address-burst=1000000"));
        }
        command.addAll(builder.properties);
        command.addAll(List.of("-jar", builder.jar));
        this.process = new ChildProcess("service node " + builder.name, command, log);
        if (builder.redisUrl == null) {
            process.environment().remove("REDIS_URL");
        } else {
            process.environment().put("REDIS_URL", builder.redisUrl);
        }
    }

    /** A node to configure, then {@link Builder#start start}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** How to launch a node: the defaults suit the ITs. */
    public static final class Builder {
        private final String name;
        private int port;
        private String redisUrl;
        private List<String> launcher = List.of();
        private List<String> jvmOptions = List.of("-Xmx256m");
        private final List<String> properties = new ArrayList<>();
        private String jar = "target/quarkus-app/quarkus-run.jar";
        private Path log;
        private Path dataDir;
        private boolean defaultLimits;

        private Builder(String name) {
            this.name = name;
        }

        /** Cluster mode on this Redis; without it the node runs standalone, whatever REDIS_URL this JVM has. */
        public Builder redis(String url) {
            this.redisUrl = url;
            return this;
        }

        /** Extra options such as {@code -Dkey=value}, after the node's own. */
        public Builder properties(List<String> more) {
            properties.addAll(more);
            return this;
        }

        public Builder properties(String... more) {
            return properties(List.of(more));
        }

        /** A fixed port instead of a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A command that runs java, such as {@code nice -n 0 taskset -c 0}: it must exec java, so the pid is java's. */
        public Builder launcher(List<String> launcher) {
            this.launcher = List.copyOf(launcher);
            return this;
        }

        /** The JVM's own options, instead of the ITs' {@code -Xmx256m}. */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        public Builder jar(String jar) {
            this.jar = jar;
            return this;
        }

        /** The log file (emptied first), instead of a temporary one. */
        public Builder log(Path log) {
            this.log = log;
            return this;
        }

        /** The embedded record's directory, kept on close, instead of a temporary one deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * The service's own limits per network address, not lifted: for clients that come from
         * addresses of their own (127.x.y.z), such as the benchmark's attacks.
         */
        public Builder defaultLimits() {
            this.defaultLimits = true;
            return this;
        }

        /** Starts the node, without waiting for it to be ready. */
        public ServiceNode start() throws IOException {
            ServiceNode node = new ServiceNode(this);
            node.start();
            return node;
        }

        /** Starts the node and waits until it is ready; stops it if it is not. */
        public ServiceNode startReady() throws IOException, InterruptedException {
            ServiceNode node = start();
            try {
                node.awaitReady();
                return node;
            } catch (RuntimeException | InterruptedException e) {
                node.close();
                throw e;
            }
        }
    }

    /** Starts the process (again), without waiting for it to be ready. */
    public void start() throws IOException {
        process.start();
    }

    /** Waits until the node is ready; fails at once if the process ends. */
    public void awaitReady() throws InterruptedException {
        process.awaitHealthy(URI.create(http() + "/q/health/ready"), START_TIMEOUT);
    }

    /** Stops the process as an operator would (SIGTERM), waiting for it to end. */
    public void stop() throws InterruptedException {
        process.stop(Duration.ofSeconds(60));
    }

    /** Asks the process to stop (SIGTERM) and returns at once. */
    public void requestStop() {
        process.requestStop();
    }

    /** True if the process ended within {@code timeout}. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.awaitExit(timeout);
    }

    /**
     * Freezes ({@code SIGSTOP}) or thaws ({@code SIGCONT}) the node's embedded PostgreSQL, its
     * postmaster and every backend: the record then takes writes and answers nothing, as a stalled
     * disk or a paused VM would.
     */
    public void signalRecord(String signal) throws IOException, InterruptedException {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        List<Long> pids = new ArrayList<>(List.of(postmaster));
        ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(child -> pids.add(child.pid()));
        ChildProcess.kill(signal, pids);
    }

    /**
     * Freezes ({@code SIGSTOP}) or thaws ({@code SIGCONT}) the service process, as a long GC pause,
     * a paused VM or a stalled container would; its embedded record runs on.
     */
    public void signal(String signal) throws IOException, InterruptedException {
        process.signal(signal);
    }

    /** kill -9. */
    public void crash() throws InterruptedException {
        process.crash();
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String http() {
        return "http://127.0.0.1:" + port;
    }

    public URI uri() {
        return URI.create(http());
    }

    public int readyStatus() {
        return ChildProcess.status(URI.create(http() + "/q/health/ready"));
    }

    public boolean alive() {
        return process.alive();
    }

    /** A GET's response body, whatever its status. */
    public String get(String path) throws IOException, InterruptedException {
        return response(path).body();
    }

    /** A GET of {@code path}, with {@code headers} as name, value, name, value... */
    public HttpResponse<String> response(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http() + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the process and deletes its data directory if it is the node's own. */
    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        if (ownDataDir) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
