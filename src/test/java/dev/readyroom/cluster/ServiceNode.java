package dev.readyroom.cluster;

import dev.readyroom.testkit.RedisServer;
import java.io.File;
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

/** One service process: the packaged app ({@code mvn package}) on its own port; cluster mode with a Redis URL. */
final class ServiceNode implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    private final Process process;
    final Path log;

    ServiceNode(String name, String redisUrl, String... properties) throws Exception {
        this.name = name;
        this.port = RedisServer.freePort();
        this.log = Files.createTempFile("readyroom-" + name, ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-Dquarkus.http.port=" + port,
                // A standalone node's embedded record goes to a directory of the test's, never the user's.
                "-Dreadyroom.record.data-dir=" + Files.createTempDirectory("readyroom-" + name + "-postgres")));
        command.addAll(List.of(properties));
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(new File(System.getProperty("user.dir")));
        if (redisUrl == null) {
            builder.environment().remove("REDIS_URL");
        } else {
            builder.environment().put("REDIS_URL", redisUrl);
        }
        this.process = builder.start();
    }

    String http() {
        return "http://127.0.0.1:" + port;
    }

    URI uri() {
        return URI.create(http());
    }

    int readyStatus() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(http() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    String get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(http() + path)).timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
