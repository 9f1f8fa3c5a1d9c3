package dev.readyroom.testkit;

import java.io.File;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One service process: the packaged app ({@code mvn package}) on its own port, with its embedded
 * record in a directory of the test's own; cluster mode with a Redis URL. It can be stopped,
 * crashed and started again on the same port and data.
 */
public final class ServiceNode implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final Path dataDir;
    public final Path log;
    private final ProcessBuilder builder;
    private Process process;

    /** Starts a node; {@code properties} are extra JVM options such as {@code -Dkey=value}. */
    public ServiceNode(String name, String redisUrl, String... properties) throws IOException {
        this.port = RedisServer.freePort();
        this.log = Files.createTempFile("readyroom-" + name, ".log");
        // A node's embedded record goes to a directory of the test's, never the user's.
        this.dataDir = Files.createTempDirectory("readyroom-" + name + "-postgres");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-Dquarkus.http.port=" + port, "-Dreadyroom.record.data-dir=" + dataDir));
        command.addAll(List.of(properties));
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .directory(new File(System.getProperty("user.dir")));
        if (redisUrl == null) {
            builder.environment().remove("REDIS_URL");
        } else {
            builder.environment().put("REDIS_URL", redisUrl);
        }
        start();
    }

    /** Starts the process (again), without waiting for it to be ready. */
    public void start() throws IOException {
        process = builder.start();
    }

    /** Stops the process as an operator would (SIGTERM), waiting for it to end. */
    public void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    /** Asks the process to stop (SIGTERM) and returns at once. */
    public void requestStop() {
        process.destroy();
    }

    /** True if the process ended within {@code timeout}. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Freezes ({@code SIGSTOP}) or thaws ({@code SIGCONT}) the node's embedded PostgreSQL, its
     * postmaster and every backend: the record then takes writes and answers nothing, as a stalled
     * disk or a paused VM would.
     */
    public void signalRecord(String signal) throws IOException, InterruptedException {
        String postmaster = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip();
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, postmaster));
        ProcessHandle.of(Long.parseLong(postmaster)).orElseThrow().descendants()
                .forEach(child -> command.add(String.valueOf(child.pid())));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder(command).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    /**
     * Freezes ({@code SIGSTOP}) or thaws ({@code SIGCONT}) the service process, as a long GC pause,
     * a paused VM or a stalled container would; its embedded record runs on.
     */
    public void signal(String signal) throws IOException, InterruptedException {
        run(List.of("kill", "-" + signal, String.valueOf(process.pid())));
    }

    /** kill -9. */
    public void crash() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public String http() {
        return "http://127.0.0.1:" + port;
    }

    public URI uri() {
        return URI.create(http());
    }

    public int readyStatus() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(http() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** A GET's response body, whatever its status. */
    public String get(String path) throws IOException, InterruptedException {
        return response(path).body();
    }

    public HttpResponse<String> response(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(http() + path)).timeout(Duration.ofSeconds(10))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the process and deletes its data directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
