package dev.readyroom.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A redis-server of the test's own, on its own port, that the test can kill, pause and restart. */
final class RedisServer implements AutoCloseable {
    final int port;
    private final Path dir;
    private Process process;

    RedisServer() throws IOException {
        this.port = freePort();
        this.dir = Files.createTempDirectory("readyroom-redis");
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    void start() throws Exception {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!"PONG".equals(cli("PING"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not start");
            }
            Thread.sleep(20); // polling a process we start, not waiting for a message
        }
    }

    /** kill -9: the append-only file keeps every acknowledged write. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    void signal(String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
    }

    String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!cli.waitFor(5, TimeUnit.SECONDS)) {
                cli.destroyForcibly();
                return "";
            }
            return new String(cli.getInputStream().readAllBytes()).trim();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            signal("CONT");
            process.destroyForcibly();
            process.waitFor();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
