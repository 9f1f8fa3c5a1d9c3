package dev.readyroom.bench;

import dev.readyroom.testkit.RecordDatabase;
import dev.readyroom.testkit.ServiceNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code --attack NAME|all}: issue 16's attacks re-run one by one (docs/benchmarks.md, "Attacks
 * re-run"). For each, a fresh standalone service with its default limits, pinned to the server core;
 * the attack's preparation; then honest rooms from 127.0.0.1 ({@link #HONEST}) and, once their
 * measured rounds start, the attack from 127.0.0.2 until their window ends. Reports the server's
 * memory and descriptors, the honest rooms' latency and losses, and what the attack got.
 */
final class Attacks {
    /** 20 rooms of 10 playing 3 s rounds: 4 unmeasured, then 10 measured while the attack runs (about 29 s). */
    static final Scenario HONEST = new Scenario("honest", 20, 10, 3_000, 4, 10, 3_000);
    /** Its own record database, so that a benchmark run at the same time keeps readyroom_bench. */
    private static final String RECORD_DATABASE = "readyroom_attacks";
    private static final List<String> COUNTERS = List.of("readyroom_upgrades_refused_total",
            "readyroom_messages_refused_total", "readyroom_rest_writes_refused_total",
            "readyroom_slow_readers_closed_total");
    private static final List<String> GAUGES = List.of("readyroom_rooms", "readyroom_connections");

    private Attacks() {
    }

    static List<Attack> all() {
        return List.of(new ControlAttack(), new PingFloodAttack(), new HistoryUpdateAttack(), new RefusedEchoAttack(),
                new SilentSocketsAttack(), new RoomBurstAttack(), new TokenReconnectsAttack(), new BogusImportsAttack(),
                new HundredVotersAttack());
    }

    /** {@code all}, or comma-separated names. */
    static List<Attack> named(String names) {
        if (names.equals("all")) {
            return all();
        }
        List<Attack> attacks = new ArrayList<>();
        for (String name : names.split(",")) {
            attacks.add(all().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("Unknown attack " + name + "; attacks: all, "
                            + String.join(", ", all().stream().map(Attack::name).toList()))));
        }
        return attacks;
    }

    static void run(Bench.Options options) throws Exception {
        StringBuilder results = new StringBuilder("# " + Instant.now() + "  --attack " + options.attack + "\n");
        List<String> rows = new ArrayList<>();
        for (Attack attack : named(options.attack)) {
            Result result = runOne(attack, options);
            System.out.println(result.text());
            results.append(result.text());
            rows.add(result.row());
        }
        String table = "| attack | RSS at start / peak / growth | after, and after a full GC | heap after GC, growth "
                + "| honest vote p99 / max | missing, errors | generator lag p99 | server CPU, run-queue wait "
                + "| others on its core | load |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n" + String.join("\n", rows) + "\n";
        System.out.println(table);
        results.append(table);
        Path file = Path.of("target", "bench", "attacks.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, results, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("Appended to " + file);
    }

    /** What one attack did to the service and the honest rooms. Memory in KiB. */
    record Result(Attack attack, Attack.Outcome outcome, Report honest, double attackSeconds, double serverCpu,
            double ownCpu, double serverWait, double[] serverCore, String loadAtStart,
            String loadAtEnd, long rssIdle, long heapBefore, long rssAtStart, long peakRss, long rssAfter,
            long rssAfterGc, long heapAfter, long fdsAtStart, long peakFds, long fdsAfter,
            Map<String, Double> metricsBefore, Map<String, Double> metricsAfter) {

        String text() {
            StringBuilder out = new StringBuilder();
            line(out, "attack", "%s (%.1f s)", attack.name(), attackSeconds);
            line(out, "before the fixes", "%s", attack.before());
            line(out, "load average", "%s at start, %s at end", loadAtStart, loadAtEnd);
            line(out, "CPU in the attack", "server %.0f %% of its core, and its threads waited %.0f ms a second for "
                    + "a CPU (run queue); the generator's JVM (honest rooms and attacker) %.0f %% of its core",
                    serverCpu * 100, serverWait * 1000, ownCpu * 100);
            line(out, "the server's core", "processes %.0f %% (the server %.0f %%, others %.0f %%), interrupts %.0f %%, "
                            + "idle %.0f %%", serverCore[0] * 100, serverCpu * 100,
                    Math.max(0, serverCore[0] - serverCpu) * 100, serverCore[1] * 100, serverCore[2] * 100);
            for (String detail : outcome.details()) {
                line(out, "outcome", "%s", detail);
            }
            line(out, "server RSS", "idle %d MiB, at the attack's start %d MiB, peak %d MiB (+%d MiB), 5 s after "
                            + "%d MiB, after a full GC %d MiB", rssIdle / 1024, rssAtStart / 1024, peakRss / 1024,
                    (peakRss - rssAtStart) / 1024, rssAfter / 1024, rssAfterGc / 1024);
            line(out, "server heap", "after a full GC: %d MiB before the honest rooms and the attack, %d MiB after "
                    + "(+%d MiB)", heapBefore / 1024, heapAfter / 1024, (heapAfter - heapBefore) / 1024);
            line(out, "server descriptors", "%d at the attack's start, peak %d, %d 5 s after", fdsAtStart, peakFds,
                    fdsAfter);
            List<String> metrics = new ArrayList<>();
            for (String counter : COUNTERS) {
                metrics.add(String.format(Locale.ROOT, "%s +%.0f", counter, metricsAfter.get(counter)
                        - metricsBefore.get(counter)));
            }
            for (String gauge : GAUGES) {
                metrics.add(String.format(Locale.ROOT, "%s %.0f -> %.0f", gauge, metricsBefore.get(gauge),
                        metricsAfter.get(gauge)));
            }
            line(out, "server metrics", "%s", String.join(", ", metrics));
            line(out, "honest rooms", "%d rooms x %d from 127.0.0.1, %s; vote-to-everyone p50 %.2f p99 %.2f max %.2f "
                            + "ms (n=%d); reveal p99 %.2f ms; missing %d of %d; errors %d; connect failures %d; "
                            + "generator send lag p99 %.2f ms", HONEST.rooms(), HONEST.perRoom(),
                    honest.generatorLagged() ? "INVALID (the generator lagged)" : "valid",
                    honest.voteEveryone().getValueAtPercentile(50) / 1000.0, honest.p99Millis(honest.voteEveryone()),
                    honest.voteEveryone().getMaxValue() / 1000.0, honest.voteEveryone().getTotalCount(),
                    honest.p99Millis(honest.revealEveryone()), honest.missing(), honest.expected(), honest.errors(),
                    honest.connectFailures(), sendLagP99());
            return out.toString();
        }

        double sendLagP99() {
            return honest.total().sendLag.getValueAtPercentile(99) / 1000.0;
        }

        String row() {
            return String.format(Locale.ROOT, "| %s | %d / %d MiB / **+%d MiB** | %d / %d MiB | %d MiB, %+d MiB | "
                            + "**%.1f** / %.0f ms | %d, %d | %.1f ms%s | %.0f %%, %.0f ms/s | %.0f %% | %s |",
                    attack.name(),
                    rssAtStart / 1024,
                    peakRss / 1024, (peakRss - rssAtStart) / 1024, rssAfter / 1024, rssAfterGc / 1024,
                    heapAfter / 1024, (heapAfter - heapBefore) / 1024, honest.p99Millis(honest.voteEveryone()),
                    honest.voteEveryone().getMaxValue() / 1000.0, honest.missing(), honest.errors(), sendLagP99(),
                    honest.generatorLagged() ? " (invalid)" : "", serverCpu * 100, serverWait * 1000,
                    Math.max(0, serverCore[0] - serverCpu) * 100, loadAtStart);
        }

        private static void line(StringBuilder out, String name, String format, Object... args) {
            out.append(String.format(Locale.ROOT, "  %-20s ", name + ":"))
                    .append(String.format(Locale.ROOT, format, args)).append('\n');
        }
    }

    static Result runOne(Attack attack, Bench.Options options) throws Exception {
        String loadAtStart = ProcStats.loadAverage();
        System.out.println("== attack " + attack.name() + " (load average " + loadAtStart + ")");
        ServiceNode node = ServerProcess.service("service", options, options.port, "attack-" + attack.name() + ".log")
                .defaultLimits().properties(RecordDatabase.fresh(RECORD_DATABASE).serviceOptions()).startReady();
        ExecutorService honestThread = Executors.newSingleThreadExecutor();
        Attacker attacker = new Attacker(node.port());
        boolean attackerClosed = false;
        try (ServerWatch watch = new ServerWatch(node.pid(), node.port())) {
            long rssIdle = watch.rssKiB();
            attack.prepare(attacker);
            long heapBefore = watch.heapAfterGcKiB();
            Map<String, Double> metricsBefore = metrics(watch);
            LoadGenerator generator = new LoadGenerator(HONEST, new LoadGenerator.Target("service", "127.0.0.1",
                    node.port(), node.pid()), options.loops, options.seed);
            CompletableFuture<Report> honest = CompletableFuture.supplyAsync(() -> {
                try {
                    return generator.run();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, honestThread);
            CompletableFuture.anyOf(generator.measuring(), honest).get(5, TimeUnit.MINUTES);
            long[] window = generator.measuring().getNow(null);
            if (window == null) {
                honest.get();
                throw new IllegalStateException("The honest rooms ended before they were measured");
            }
            Thread.sleep(Math.max(0, (window[0] - System.nanoTime()) / 1_000_000));
            long rssAtStart = watch.rssKiB();
            long fdsAtStart = watch.fds();
            watch.resetPeaks();
            attacker.tally.clear();
            long started = System.nanoTime();
            long serverCpuAtStart = ProcStats.cpuMicros(node.pid());
            long ownCpuAtStart = ProcStats.cpuMicros(ProcessHandle.current().pid());
            long serverWaitAtStart = ServerWatch.runQueueWaitNanos(node.pid());
            long[] coreAtStart = ServerWatch.cpuTicks(serverCore(options));
            Attack.Outcome outcome = attack.run(attacker, window[1]);
            double attackSeconds = (System.nanoTime() - started) / 1e9;
            double serverCpu = (ProcStats.cpuMicros(node.pid()) - serverCpuAtStart) / 1e6 / attackSeconds;
            double ownCpu = (ProcStats.cpuMicros(ProcessHandle.current().pid()) - ownCpuAtStart) / 1e6 / attackSeconds;
            double serverWait = (ServerWatch.runQueueWaitNanos(node.pid()) - serverWaitAtStart) / 1e9 / attackSeconds;
            long[] coreAtEnd = ServerWatch.cpuTicks(serverCore(options));
            // In ticks of 10 ms: shares of the server's core, processes (the server's and others'), interrupts, idle.
            double[] core = new double[3];
            for (int i = 0; i < 3; i++) {
                core[i] = (coreAtEnd[i] - coreAtStart[i]) / 100.0 / attackSeconds;
            }
            long peakRss = watch.peakRssKiB();
            long peakFds = watch.peakFds();
            Report report = honest.get(5, TimeUnit.MINUTES);
            attackerClosed = true;
            attacker.close();
            Thread.sleep(5_000);
            long rssAfter = watch.rssKiB();
            long fdsAfter = watch.fds();
            peakRss = Math.max(peakRss, watch.peakRssKiB());
            Map<String, Double> metricsAfter = metrics(watch);
            long heapAfter = watch.heapAfterGcKiB();
            long rssAfterGc = watch.rssKiB();
            if (options.jvmOptions.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking="))) {
                System.out.println("  native memory after the full GC: " + watch.nativeMemory());
            }
            return new Result(attack, outcome, report, attackSeconds, serverCpu, ownCpu, serverWait, core, loadAtStart,
                    ProcStats.loadAverage(), rssIdle,
                    heapBefore, rssAtStart, peakRss, rssAfter, rssAfterGc, heapAfter, fdsAtStart, peakFds, fdsAfter,
                    metricsBefore, metricsAfter);
        } finally {
            if (!attackerClosed) {
                attacker.close();
            }
            honestThread.shutdownNow();
            node.close();
        }
    }

    /** The first core the servers are pinned to ({@code --server-cpu}). */
    private static int serverCore(Bench.Options options) {
        return Integer.parseInt(options.serverCpu.split("[,-]")[0]);
    }

    private static Map<String, Double> metrics(ServerWatch watch) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String name : COUNTERS) {
            values.put(name, watch.metric(name));
        }
        for (String name : GAUGES) {
            values.put(name, watch.metric(name));
        }
        return values;
    }
}
