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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server process of a test's or a benchmark's own (a service node, a redis-server, the bench's
 * baseline): its output in a log file, which a restart appends to; it can be waited for, stopped,
 * frozen, killed and started again with the same command.
 */
public final class ChildProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final ProcessBuilder builder;
    private final Path log;
    private Process process;

    /** Not started yet; {@code log} is emptied. */
    public ChildProcess(String name, List<String> command, Path log) throws IOException {
        this.name = name;
        this.log = log;
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, "");
        this.builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .directory(new File(System.getProperty("user.dir")));
    }

    /** The environment the process starts with, to change before {@link #start}. */
    public Map<String, String> environment() {
        return builder.environment();
    }

    /** Starts the process (again), without waiting for it to be ready. */
    public void start() throws IOException {
        process = builder.start();
    }

    /**
     * Waits until {@code ready} holds; fails at once if the process ends, and after {@code within}.
     * The process is ours: this polls it, it does not wait for a message.
     */
    public void awaitReady(String what, Duration within, BooleanSupplier ready) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was "
                        + what + "; see " + log.toAbsolutePath());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not " + what + " within " + within.toSeconds()
                        + " s; see " + log.toAbsolutePath());
            }
            Thread.sleep(50);
        }
    }

    /** Waits until a GET of {@code health} answers 200. */
    public void awaitHealthy(URI health, Duration within) throws InterruptedException {
        awaitReady("ready (" + health + ")", within, () -> status(health) == 200);
    }

    /** The status of a GET of {@code uri}, or -1 when nothing answered. */
    public static int status(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Stops the process as an operator would (SIGTERM); kills it if it has not ended within {@code grace}. */
    public void stop(Duration grace) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                crash();
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

    /** kill -9, waiting for it to end. */
    public void crash() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Sends a signal, such as STOP (the process hangs) or CONT. */
    public void signal(String signal) throws IOException, InterruptedException {
        kill(signal, List.of(process.pid()));
    }

    /** Sends a signal to the given processes with kill(1). */
    public static void kill(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(String.valueOf(pid)));
        Process kill = new ProcessBuilder(command).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }
}
