package dev.readyroom.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Watches a service process while it is attacked: its RSS and open file descriptors every 100 ms
 * (the peaks since {@link #resetPeaks}), its heap after a full GC, and its Prometheus counters.
 */
final class ServerWatch implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

    private final long pid;
    private final URI metrics;
    private final Thread sampler;
    private volatile long peakRssKiB;
    private volatile long peakFds;
    private volatile boolean running = true;

    ServerWatch(long pid, int port) {
        this.pid = pid;
        this.metrics = URI.create("http://127.0.0.1:" + port + "/q/metrics");
        this.sampler = new Thread(this::sample, "server-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        while (running) {
            peakRssKiB = Math.max(peakRssKiB, ProcStats.rssKiB(pid));
            peakFds = Math.max(peakFds, fds());
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void resetPeaks() {
        peakRssKiB = rssKiB();
        peakFds = fds();
    }

    long rssKiB() {
        return ProcStats.rssKiB(pid);
    }

    long peakRssKiB() {
        return peakRssKiB;
    }

    long peakFds() {
        return peakFds;
    }

    /** Open file descriptors of the process (sockets included). */
    long fds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Nanoseconds the threads of process {@code pid} have spent runnable but waiting for a CPU
     * ({@code /proc/<pid>/task/<tid>/schedstat}, second field), summed: how much the machine's other
     * work held the process back.
     */
    static long runQueueWaitNanos(long pid) {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    sum += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[1]);
                } catch (IOException | RuntimeException e) {
                    // The thread ended between the listing and the read.
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }

    /**
     * One CPU's time since boot from {@code /proc/stat}, in ticks: {busy in processes (user, nice,
     * system), interrupts (irq, softirq: loopback traffic is handled there), idle (idle, iowait)}.
     */
    static long[] cpuTicks(int cpu) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu" + cpu + " ")) {
                    String[] f = line.trim().split("\\s+");
                    return new long[] {Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]),
                            Long.parseLong(f[6]) + Long.parseLong(f[7]), Long.parseLong(f[4]) + Long.parseLong(f[5])};
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no such CPU.
        }
        return new long[3];
    }

    /** Full GC ({@code jcmd GC.run}), then the heap in use (KiB) from {@code GC.heap_info}; -1 without jcmd. */
    long heapAfterGcKiB() {
        ProcStats.collectGarbage(pid);
        try {
            Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.heap_info").redirectErrorStream(true)
                    .start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor(30, TimeUnit.SECONDS);
            Matcher used = HEAP_USED.matcher(out);
            return used.find() ? Long.parseLong(used.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * {@code jcmd VM.native_memory summary}'s total and its largest categories, for a JVM started
     * with {@code -XX:NativeMemoryTracking=summary}; null otherwise.
     */
    String nativeMemory() {
        try {
            Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid), "VM.native_memory", "summary", "scale=MB")
                    .redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor(30, TimeUnit.SECONDS);
            List<String> lines = out.lines().filter(line -> line.startsWith("Total:") || line.matches("-\\s+\\S.*"))
                    .map(String::strip).toList();
            return lines.isEmpty() ? null : String.join("; ", lines);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The sum of a Prometheus metric's samples over its tags, such as {@code readyroom_upgrades_refused_total}. */
    double metric(String name) {
        try {
            String text = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
