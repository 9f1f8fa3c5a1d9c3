package dev.readyroom.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The figures of one run, and how they read. The server's figures add up its processes (the RSS of its
 * JVMs only); the RSS arrays are per process, in the target's order.
 */
public record Report(Scenario scenario, LoadGenerator.Target target, Recorder total, int held, double connectSeconds,
        long[] rssBeforeKiB, long[] rssAfterKiB, LoadGenerator.Sample idleStart, LoadGenerator.Sample idleEnd,
        LoadGenerator.Sample first, LoadGenerator.Sample last,
        String loadAtStart, String loadAtEnd) {

    /** A generator that sends later than this (p99) measured itself, not the server. */
    static final long MAX_SEND_LAG_P99_MICROS = 10_000;
    private static final DateTimeFormatter SECOND_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    public long missing() {
        return total.expected() - total.received();
    }

    public long expected() {
        return total.expected();
    }

    public long received() {
        return total.received();
    }

    public long errors() {
        return total.errors;
    }

    public long acks() {
        return total.acks;
    }

    public long connectFailures() {
        return total.connectFailures;
    }

    public int held() {
        return held;
    }

    public Histogram voteEveryone() {
        return total.voteEveryone;
    }

    public Histogram revealEveryone() {
        return total.revealEveryone;
    }

    public boolean generatorLagged() {
        return total.sendLag.getValueAtPercentile(99) > MAX_SEND_LAG_P99_MICROS;
    }

    double windowSeconds() {
        return (last.nanos() - first.nanos()) / 1e9;
    }

    long windowDeliveries() {
        return last.deliveries() - first.deliveries();
    }

    public double messagesPerSecond() {
        return windowDeliveries() / windowSeconds();
    }

    /** Server CPU time (user + system) per event delivered in the window, in microseconds. */
    public double serverCpuMicrosPerMessage() {
        return (double) (last.serverCpuMicros() - first.serverCpuMicros()) / Math.max(1, windowDeliveries());
    }

    /** Share of a core the server used holding the connections with no traffic. */
    double serverIdleCpuShare() {
        return (idleEnd.serverCpuMicros() - idleStart.serverCpuMicros()) / 1e3 / ((idleEnd.nanos() - idleStart.nanos())
                / 1e6);
    }

    /** CPU per delivered message once the cost of merely holding the connections is taken out. */
    public double serverCpuMicrosPerMessageNetOfIdle() {
        double idleMicros = serverIdleCpuShare() * windowSeconds() * 1e6;
        return Math.max(0, (last.serverCpuMicros() - first.serverCpuMicros()) - idleMicros)
                / Math.max(1, windowDeliveries());
    }

    double serverCpuShare() {
        return (last.serverCpuMicros() - first.serverCpuMicros()) / 1e6 / windowSeconds();
    }

    double generatorCpuShare() {
        return (last.generatorCpuMicros() - first.generatorCpuMicros()) / 1e6 / windowSeconds();
    }

    public double kibPerConnection() {
        return held == 0 ? 0 : (double) (jvmRssKiB(rssAfterKiB) - jvmRssKiB(rssBeforeKiB)) / held;
    }

    private long jvmRssKiB(long[] rssKiB) {
        long sum = 0;
        for (int i = 0; i < rssKiB.length; i++) {
            sum += target.processes().get(i).jvm() ? rssKiB[i] : 0;
        }
        return sum;
    }

    public double p99Millis(Histogram histogram) {
        return histogram.getValueAtPercentile(99) / 1000.0;
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        line(out, "run", "%s against %s: %d rooms x %d, %d ms rounds, %d warm-up + %d measured rounds",
                scenario.name(), target.name(), scenario.rooms(), scenario.perRoom(), scenario.roundMillis(),
                scenario.warmRounds(), scenario.measuredRounds());
        line(out, "validity", generatorLagged() ? "INVALID: the generator lagged (send lag p99 over 10 ms)" : "valid");
        line(out, "load average", "%s at start, %s at end", loadAtStart, loadAtEnd);
        line(out, "connections held", "%d of %d (%d failed), connect rate %.0f/s", held, scenario.connections(),
                total.connectFailures, held / Math.max(0.001, connectSeconds));
        latency(out, "vote-to-everyone", total.voteEveryone);
        latency(out, "vote per delivery", total.voteDelivery);
        latency(out, "reveal-to-everyone", total.revealEveryone);
        latency(out, "reveal per delivery", total.revealDelivery);
        latency(out, "select-to-everyone", total.selectEveryone);
        line(out, "slowest seconds", "%s", slowestSeconds());
        line(out, "deliveries", "expected %d, received %d, missing %d (votes %d/%d, reveals %d/%d, rounds %d/%d)",
                expected(), received(), missing(), total.voteReceived, total.voteExpected, total.revealReceived,
                total.revealExpected, total.selectReceived, total.selectExpected);
        line(out, "other frames", "acks %d, errors %d, other events %d, sends on closed sockets %d, votes refused "
                + "as too late (crossed the reveal; not expected) %d", total.acks, total.errors, total.otherEvents,
                total.sendsOnClosed, total.lateVotes);
        line(out, "messages/s", "%.0f events delivered/s over a %.1f s window", messagesPerSecond(), windowSeconds());
        line(out, "server CPU", "%.1f us per delivered message (%.0f %% of a core); idle holding the connections "
                + "%.1f %% of a core; net of idle %.1f us per message", serverCpuMicrosPerMessage(),
                serverCpuShare() * 100, serverIdleCpuShare() * 100, serverCpuMicrosPerMessageNetOfIdle());
        line(out, "server memory", "RSS after a full GC: %d MiB before connecting, %d MiB holding; %.1f KiB per connection "
                + "(%.1f MiB per 1,000)", jvmRssKiB(rssBeforeKiB) / 1024, jvmRssKiB(rssAfterKiB) / 1024,
                kibPerConnection(), kibPerConnection() * 1000 / 1024);
        line(out, "server CPU by thread", "%s (share of a core in the window; JVM threads only)", byThread());
        if (target.processes().size() > 1) {
            split(out);
        }
        if (!target.unmeasured().isEmpty()) {
            line(out, "not measured", "%s", target.unmeasured());
        }
        latency(out, "generator send lag", total.sendLag);
        line(out, "generator CPU", "%.0f %% of a core", generatorCpuShare() * 100);
        return out.toString();
    }

    /**
     * The five measured seconds (of the intended send, UTC) whose slowest to-everyone delivery was
     * the slowest, to line the tail up with the server's GC log; and how many seconds passed 100 ms.
     */
    String slowestSeconds() {
        List<Integer> measured = new ArrayList<>();
        for (int second = 0; second < Recorder.SECONDS; second++) {
            if (total.slowestBySecond[second] > 0) {
                measured.add(second);
            }
        }
        long over = measured.stream().filter(second -> total.slowestBySecond[second] > 100_000).count();
        List<String> worst = measured.stream()
                .sorted((a, b) -> Long.compare(total.slowestBySecond[b], total.slowestBySecond[a])).limit(5)
                .map(second -> String.format(Locale.ROOT, "%s %.0f ms",
                        SECOND_OF_DAY.format(Instant.ofEpochMilli(Recorder.ORIGIN_MILLIS + second * 1000L)),
                        total.slowestBySecond[second] / 1000.0))
                .toList();
        return String.format(Locale.ROOT, "%s; %d of %d seconds over 100 ms", String.join(", ", worst), over,
                measured.size());
    }

    /** Whether the window measured warm code: JIT compiler time in it means it did not. */
    private String byThread() {
        List<String> shares = new ArrayList<>();
        for (String group : ProcStats.THREAD_GROUPS) {
            long micros = last.jvmThreadCpuMicros().getOrDefault(group, 0L)
                    - first.jvmThreadCpuMicros().getOrDefault(group, 0L);
            shares.add(String.format(Locale.ROOT, "%s %.1f %%", group, micros / 1e4 / windowSeconds()));
        }
        return String.join(", ", shares);
    }

    /** Where the server's CPU and memory go, process by process. */
    private void split(StringBuilder out) {
        List<String> cpu = new ArrayList<>();
        List<String> memory = new ArrayList<>();
        for (int i = 0; i < target.processes().size(); i++) {
            LoadGenerator.ServerPid process = target.processes().get(i);
            long micros = last.processCpuMicros()[i] - first.processCpuMicros()[i];
            long idleMicros = idleEnd.processCpuMicros()[i] - idleStart.processCpuMicros()[i];
            cpu.add(String.format(Locale.ROOT, "%s %.1f us (%.0f %%; idle %.1f %%)", process.name(),
                    (double) micros / Math.max(1, windowDeliveries()), micros / 1e4 / windowSeconds(),
                    idleMicros / 1e4 / ((idleEnd.nanos() - idleStart.nanos()) / 1e9)));
            memory.add(String.format(Locale.ROOT, "%s %d / %d MiB%s", process.name(), rssBeforeKiB[i] / 1024,
                    rssAfterKiB[i] / 1024, process.jvm() ? "" : " (not counted per connection)"));
        }
        line(out, "server CPU split", "per delivered message (share of a core; idle holding the connections): %s",
                String.join(", ", cpu));
        line(out, "server memory split", "RSS before / holding: %s", String.join(", ", memory));
    }

    private static void latency(StringBuilder out, String name, Histogram h) {
        line(out, name, "p50 %.2f  p90 %.2f  p99 %.2f  max %.2f ms  (n=%d)", h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                h.getTotalCount());
    }

    private static void line(StringBuilder out, String name, String format, Object... args) {
        out.append(String.format(Locale.ROOT, "  %-20s ", name + ":")).append(String.format(Locale.ROOT, format, args))
                .append('\n');
    }
}
