package dev.readyroom.bench;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server under test in its own JVM, pinned to one core with taskset so /proc measures only it. */
final class ServerProcess implements ServerUnderTest {
    private final String name;
    private final Process process;
    final int port;

    private ServerProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /** What the server uses that is not measured, printed with the figures. */
    private String unmeasured = "";

    long pid() {
        return process.pid();
    }

    @Override
    public LoadGenerator.Target target() {
        return new LoadGenerator.Target(name, List.of(new LoadGenerator.Endpoint("127.0.0.1", port)),
                List.of(new LoadGenerator.ServerPid(name, pid(), true)), unmeasured);
    }

    /** {@code command} under the servers' niceness, on the server core; nice and taskset exec it, so the pid is its. */
    static List<String> pinned(Bench.Options options, String... command) {
        List<String> pinned = new ArrayList<>(List.of("nice", "-n", String.valueOf(options.nice), "taskset", "-c",
                options.serverCpu));
        pinned.addAll(List.of(command));
        return pinned;
    }

    /** The baseline, or the service standalone. */
    static ServerProcess start(String target, Bench.Options options) throws Exception {
        if (target.equals("baseline")) {
            List<String> command = java(options);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineServer.class.getName(),
                    String.valueOf(options.port)));
            return launch(target, new ProcessBuilder(command), options.port, "/health", target + ".log");
        }
        List<String> record;
        String unmeasured;
        if (options.record.equals("machine")) {
            record = Cluster.freshMachineRecord();
            unmeasured = Cluster.MACHINE_RECORD_NOTE;
        } else {
            // The service's embedded record lives in target/, never in the user's own data directory.
            record = List.of("-Dreadyroom.record.data-dir=" + Path.of("target", "bench", "postgres").toAbsolutePath());
            unmeasured = "the embedded record's PostgreSQL (a child process on the server core: it competes with "
                    + "the service, but its CPU time and memory are not counted above)";
        }
        ServerProcess service = service(target, options, options.port, target + ".log", null, record);
        service.unmeasured = unmeasured;
        return service;
    }

    /** The service, in cluster mode when {@code redisUrl} is set; {@code properties} go before {@code -jar}. */
    static ServerProcess service(String name, Bench.Options options, int port, String logName, String redisUrl,
            List<String> properties) throws IOException, InterruptedException {
        List<String> command = java(options);
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
        command.addAll(properties);
        command.addAll(List.of("-jar", options.jar));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (redisUrl != null) {
            builder.environment().put("REDIS_URL", redisUrl);
        }
        return launch(name, builder, port, "/q/health/ready", logName);
    }

    private static List<String> java(Bench.Options options) {
        List<String> command = pinned(options, "java");
        command.addAll(options.jvmOptions);
        return command;
    }

    private static ServerProcess launch(String name, ProcessBuilder builder, int port, String health, String logName)
            throws IOException, InterruptedException {
        Path log = Path.of("target", "bench", logName);
        Files.createDirectories(log.getParent());
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).directory(new File("."))
                .start();
        ServerProcess server = new ServerProcess(name, process, port);
        try {
            server.awaitReady(health, log);
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady(String health, Path log) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The server exited; see " + log);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + health)).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The server did not become ready in 60 s; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
