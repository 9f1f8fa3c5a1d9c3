package dev.readyroom.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** CPU time and resident memory of a process, read from /proc (Linux only). */
final class ProcStats {
    /** USER_HZ; 100 on every Linux we run on. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** User plus system CPU time of the process, in microseconds. */
    static long cpuMicros(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name may contain spaces: fields are counted after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1_000_000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The thread groups that CPU time is reported by; the rest is "other". */
    static final List<String> THREAD_GROUPS = List.of("event loops", "JIT compiler", "GC", "other");

    /**
     * CPU time of the process's threads, in microseconds, by group: Vert.x event loops, the JIT's
     * compiler threads, the garbage collector's threads (G1 and the VM thread's safepoint work), the
     * rest (workers, timers, Redis and PostgreSQL clients).
     */
    static Map<String, Long> threadCpuMicros(long pid) {
        Map<String, Long> byGroup = new LinkedHashMap<>();
        THREAD_GROUPS.forEach(group -> byGroup.put(group, 0L));
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path thread : threads) {
                try {
                    String stat = Files.readString(thread.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    byGroup.merge(group(name), ticks * 1_000_000 / TICKS_PER_SECOND, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // The thread ended between the listing and the read.
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
        return byGroup;
    }

    private static String group(String threadName) {
        if (threadName.startsWith("vert.x-eventloo")) {
            return "event loops";
        }
        if (threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre")) {
            return "JIT compiler";
        }
        if (threadName.startsWith("G1 ") || threadName.startsWith("GC Thread") || threadName.equals("VM Thread")) {
            return "GC";
        }
        return "other";
    }

    /** Resident set size in KiB. */
    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Asks the JVM {@code pid} for a full GC, so its RSS counts what it retains rather than garbage it
     * has not collected yet (G1 also gives free heap back after a full GC).
     */
    static void collectGarbage(long pid) {
        try {
            Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
            }
        } catch (IOException e) {
            // No jcmd: RSS then includes uncollected garbage, which only overstates memory.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
