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
final class ServerProcess implements AutoCloseable {
    private final Process process;
    final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    long pid() {
        return process.pid();
    }

    static ServerProcess start(String target, int port, String cpu, int nice, String jar, List<String> jvmOptions)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("nice", "-n", String.valueOf(nice), "taskset", "-c", cpu,
                "java"));
        command.addAll(jvmOptions);
        String health;
        if (target.equals("baseline")) {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineServer.class.getName(),
                    String.valueOf(port)));
            health = "/health";
        } else {
            // The service's embedded record lives in target/, never in the user's own data directory.
            command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                    "-Dreadyroom.record.data-dir=" + Path.of("target", "bench", "postgres").toAbsolutePath(),
                    "-jar", jar));
            health = "/q/health/ready";
        }
        Path log = Path.of("target", "bench", target + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(new File(".")).start();
        ServerProcess server = new ServerProcess(process, port);
        server.awaitReady(health, log);
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
