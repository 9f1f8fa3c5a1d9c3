package dev.readyroom.testkit;

import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A redis-server of the test's own, on a free port, with an append-only file in a temporary
 * directory: the test can kill it (acknowledged writes survive), pause it and restart it. The
 * benchmark starts its cluster's Redis here too ({@link #startedForBenchmark}).
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final ChildProcess process;

    private RedisServer(int port, List<String> launcher, boolean appendOnly, Path log) throws IOException {
        this.port = port;
        Path dir = Files.createTempDirectory("readyroom-redis");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", appendOnly ? "yes" : "no", "--dir", dir.toString()));
        this.process = new ChildProcess("redis-server on port " + port, command,
                log == null ? dir.resolve("redis.log") : log);
    }

    /** A started server. */
    public static RedisServer started() {
        try {
            return startedOrClosed(new RedisServer(freePort(), List.of(), true, null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A started server for the benchmark: on {@code port}, run under {@code launcher} (nice and
     * taskset, on the server core), without an append-only file (its writes would be measured too),
     * its output in {@code log}.
     */
    public static RedisServer startedForBenchmark(int port, List<String> launcher, Path log) throws IOException {
        return startedOrClosed(new RedisServer(port, launcher, false, log));
    }

    private static RedisServer startedOrClosed(RedisServer server) {
        try {
            server.start();
            return server;
        } catch (RuntimeException e) {
            try {
                server.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Starts (or restarts, on the same port and files) and waits until it answers PING. */
    public void start() {
        try {
            process.start();
            process.awaitReady("answering PING", Duration.ofSeconds(10), () -> "PONG".equals(cli("PING")));
        } catch (IOException e) {
            throw new IllegalStateException("redis-server did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** kill -9: the append-only file keeps every acknowledged write. */
    public void kill() throws InterruptedException {
        process.crash();
    }

    /** Sends a signal, such as STOP (the server hangs) or CONT. */
    public void signal(String signal) throws IOException, InterruptedException {
        process.signal(signal);
    }

    /** Runs redis-cli against this server and returns its output, trimmed ("" when it did not answer in time). */
    public String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        return run(command);
    }

    private static String run(List<String> command) {
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!cli.waitFor(5, TimeUnit.SECONDS)) {
                cli.destroyForcibly();
                return "";
            }
            return new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("redis-cli failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts watching every command this server runs ({@code MONITOR}). */
    public Monitor monitor() throws IOException {
        return new Monitor(port);
    }

    /** Starts watching every command the server on {@code port} runs, such as a Redis Cluster's node. */
    public static Monitor monitor(int port) throws IOException {
        return new Monitor(port);
    }

    /**
     * The commands the server runs from now on, as {@code redis-cli MONITOR} prints them: lets a
     * test count the calls that name its own room, whatever else the nodes do meanwhile.
     */
    public static final class Monitor implements AutoCloseable {
        private final int port;
        private final Process process;
        private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

        private Monitor(int port) throws IOException {
            this.port = port;
            process = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "MONITOR").start();
            Thread reader = new Thread(() -> {
                try (java.io.BufferedReader in = new java.io.BufferedReader(
                        new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // The monitor was closed.
                }
            }, "redis-monitor");
            reader.setDaemon(true);
            reader.start();
            // redis-cli prints OK once the server feeds it; a command sent before that is not shown.
            try {
                await("MONITOR started").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                        .until(() -> !lines.isEmpty());
            } catch (ConditionTimeoutException e) {
                close();
                throw e;
            }
        }

        /**
         * Calls of {@code command} (e.g. {@code evalsha}) whose arguments contain {@code naming}, run
         * before this call: a marker sent now is fed after every command Redis ran before it.
         */
        public long calls(String command, String naming) {
            int end = awaitMark();
            String quoted = "\"" + command.toLowerCase() + "\"";
            synchronized (lines) {
                return lines.subList(0, end).stream()
                        .filter(line -> line.toLowerCase().contains(quoted) && line.contains(naming)).count();
            }
        }

        /**
         * Commands clients sent (not those a script ran) whose arguments contain {@code naming}, run
         * before this call: each is one round trip.
         */
        public long roundTrips(String naming) {
            int end = awaitMark();
            synchronized (lines) {
                return lines.subList(0, end).stream()
                        .filter(line -> line.contains(naming) && !line.contains(" lua] ")).count();
            }
        }

        /** Sends a marker and returns the index of its line. */
        private int awaitMark() {
            String marker = "monitor-mark-" + java.util.UUID.randomUUID();
            run(List.of("redis-cli", "-p", Integer.toString(port), "ECHO", marker));
            return await("MONITOR showing " + marker).atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(10)).until(() -> lineOf(marker), index -> index >= 0);
        }

        private int lineOf(String text) {
            synchronized (lines) {
                for (int i = lines.size() - 1; i >= 0; i--) {
                    if (lines.get(i).contains(text)) {
                        return i;
                    }
                }
                return -1;
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.alive()) {
            signal("CONT");
            process.crash();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The server as a Quarkus test resource: the service under test gets its {@code REDIS_URL} (cluster
     * mode), and a {@code RedisServer} field of the test class gets the server.
     */
    public static final class Resource implements QuarkusTestResourceLifecycleManager {
        private RedisServer server;

        @Override
        public Map<String, String> start() {
            server = started();
            return Map.of("REDIS_URL", server.url());
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(server, new TestInjector.MatchesType(RedisServer.class));
        }

        @Override
        public void stop() {
            try {
                server.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
