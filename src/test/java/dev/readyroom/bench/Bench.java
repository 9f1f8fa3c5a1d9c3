package dev.readyroom.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The benchmark's entry point (docs/benchmarks.md): for each step of a scenario, starts each target
 * in turn (the raw baseline, the service, a cluster of two service nodes on Redis), alone and pinned
 * to the server core, drives it with the same load, and prints the figures side by side.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.attack != null) {
            Attacks.run(options);
            return;
        }
        StringBuilder results = new StringBuilder("# " + Instant.now() + "  " + String.join(" ", args) + "\n");
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : options.scenario.split(",")) {
            scenarios.addAll(Scenario.named(name));
        }
        for (Scenario scenario : scenarios) {
            List<List<Report>> runs = new ArrayList<>();
            for (int run = 0; run < options.repeat; run++) {
                List<Report> reports = new ArrayList<>();
                for (String target : options.targets) {
                    if (scenario.historyRounds() > 0 && target.equals("baseline")) {
                        // The baseline keeps no rounds, so a history would change nothing it does.
                        System.out.println("== " + scenario.name() + " / baseline: skipped: the baseline keeps no "
                                + "history; compare with the same scenario without it");
                        continue;
                    }
                    reports.add(runOne(scenario, target, options));
                    System.out.println(reports.get(reports.size() - 1).text());
                }
                results.append(reports.stream().map(Report::text).reduce("", String::concat));
                Optional<Report> baseline = baselineOf(reports);
                for (Report report : reports) {
                    if (baseline.isPresent() && report != baseline.get()) {
                        String comparison = compare(baseline.get(), report);
                        System.out.println(comparison);
                        results.append(comparison).append('\n');
                    }
                }
                runs.add(reports);
            }
            if (runs.size() > 1) {
                String medians = medians(runs);
                System.out.println(medians);
                results.append(medians).append('\n');
            }
        }
        Path file = Path.of("target", "bench", "results.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, results, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("Appended to " + file);
    }

    private static Report runOne(Scenario scenario, String target, Options options) throws Exception {
        System.out.println("== " + scenario.name() + " / " + target + " (load average " + ProcStats.loadAverage()
                + ")");
        try (ServerUnderTest server = target.equals("cluster") ? Cluster.start(options)
                : ServerProcess.start(target, options)) {
            // Not before S3, whose figure is memory: the warm-up would have grown the heap already.
            int warmUpSeconds = options.jitWarmUpSeconds(target);
            if (warmUpSeconds > 0 && !scenario.name().equals("smoke") && !scenario.name().equals("S3")) {
                Scenario warmUpScenario = scenario.jitWarmUp(warmUpSeconds);
                Report warmUp = new LoadGenerator(warmUpScenario, server.target(), options.loops,
                        options.seed + 1).leavingAtTheEnd().run();
                System.out.printf(Locale.ROOT, "  %-20s %d rooms x %d, %s s rounds, %d rounds; not measured "
                                + "(vote-to-everyone p99 %.2f ms, %d missing); the heap grew in it, so the "
                                + "memory per connection below understates (S3 measures it)%n", "JIT warm-up:",
                        warmUpScenario.rooms(), warmUpScenario.perRoom(),
                        BigDecimal.valueOf(warmUpScenario.roundMillis(), 3).stripTrailingZeros().toPlainString(),
                        warmUpScenario.rounds(), warmUp.p99Millis(warmUp.voteEveryone()), warmUp.missing());
            }
            return new LoadGenerator(scenario, server.target(), options.loops, options.seed).run();
        }
    }

    private static Optional<Report> baselineOf(List<Report> reports) {
        return reports.stream().filter(r -> r.target().name().equals("baseline")).findFirst();
    }

    /**
     * With {@code --repeat}: each target's median figures over the runs, and the median of the
     * ratios each run took against the baseline of that same run. Run-to-run noise on this
     * machine is larger than many changes, so one pair of runs cannot judge a ratio target.
     */
    static String medians(List<List<Report>> runs) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "  %-20s over %d runs%n", "medians:",
                runs.size()));
        for (int i = 0; i < runs.get(0).size(); i++) {
            int target = i;
            List<Report> reports = runs.stream().map(run -> run.get(target)).toList();
            text.append(String.format(Locale.ROOT, "  %-20s vote-to-everyone p99 %.2f ms, server CPU %.1f us per message%n",
                    reports.get(0).target().name() + ":",
                    median(reports.stream().mapToDouble(r -> r.p99Millis(r.voteEveryone())).toArray()),
                    median(reports.stream().mapToDouble(Report::serverCpuMicrosPerMessage).toArray())));
            if (baselineOf(runs.get(0)).isPresent() && !reports.get(0).target().name().equals("baseline")) {
                double[] p99Ratios = runs.stream().mapToDouble(run -> baselineOf(run).map(b -> run.get(target)
                        .p99Millis(run.get(target).voteEveryone()) / Math.max(0.001, b.p99Millis(b.voteEveryone())))
                        .orElseThrow()).toArray();
                double[] cpuRatios = runs.stream().mapToDouble(run -> baselineOf(run).map(b -> run.get(target)
                        .serverCpuMicrosPerMessage() / Math.max(0.001, b.serverCpuMicrosPerMessage()))
                        .orElseThrow()).toArray();
                text.append(String.format(Locale.ROOT, "  %-20s vote-to-everyone p99 %.2fx, server CPU per message "
                                + "%.2fx (medians of each run's ratio; each run %s)%n", "median ratio:", median(p99Ratios),
                        median(cpuRatios), ratios(cpuRatios)));
            }
        }
        return text.toString();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String ratios(double[] values) {
        StringBuilder text = new StringBuilder();
        for (double value : values) {
            text.append(text.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2fx", value));
        }
        return text.toString();
    }

    static String compare(Report baseline, Report service) {
        return String.format(Locale.ROOT, "  %-20s vote-to-everyone p99 %.2fx, reveal-to-everyone p99 %.2fx, "
                        + "server CPU per message %.2fx (net of idle %.2fx), messages/s %.2fx (%s / baseline)%n",
                "ratio:",
                service.p99Millis(service.voteEveryone()) / Math.max(0.001, baseline.p99Millis(baseline.voteEveryone())),
                service.p99Millis(service.revealEveryone())
                        / Math.max(0.001, baseline.p99Millis(baseline.revealEveryone())),
                service.serverCpuMicrosPerMessage() / Math.max(0.001, baseline.serverCpuMicrosPerMessage()),
                service.serverCpuMicrosPerMessageNetOfIdle()
                        / Math.max(0.001, baseline.serverCpuMicrosPerMessageNetOfIdle()),
                service.messagesPerSecond() / Math.max(0.001, baseline.messagesPerSecond()), service.target().name());
    }

    /** Command-line options, each with a default that fits the 2-core machine. */
    static final class Options {
        String scenario = "smoke";
        /** {@code --attack}: issue 16's attacks (bench/Attacks) instead of a scenario; null: none. */
        String attack;
        List<String> targets = List.of("baseline", "service");
        /** The service's port; a cluster's node B listens on the next one. */
        int port = 8089;
        int redisPort = 6390;
        String serverCpu = "0";
        int nice;
        String jar = "target/quarkus-app/quarkus-run.jar";
        int loops = Runtime.getRuntime().availableProcessors();
        long seed = 42;
        /** How many times to run the targets in turn; over 1, medians are printed at the end. */
        int repeat = 1;
        /** A JIT warm-up run before each measured one (not for the smoke scenario); null: the default. */
        Integer jitWarmUpSeconds;
        /**
         * Where the standalone service keeps its durable record: "machine", the machine's PostgreSQL
         * like the cluster target (not pinned, not counted); or "embedded", the packaged default, a
         * PostgreSQL child process that inherits the server's core and competes with it.
         */
        String record = "machine";
        /**
         * A JVM limited to one core picks SerialGC, whose stop-the-world pauses reached 0.5 to 0.8 s
         * here; on the machines we deploy to (2+ cores) the JVM picks G1, so both servers get G1.
         */
        List<String> jvmOptions = new ArrayList<>(List.of("-XX:+UseG1GC"));

        static Options parse(String[] args) throws IOException {
            Options o = new Options();
            for (int i = 0; i + 1 < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--scenario" -> o.scenario = value;
                    case "--attack" -> o.attack = value;
                    case "--target" -> o.targets = targets(value);
                    case "--port" -> o.port = Integer.parseInt(value);
                    case "--redis-port" -> o.redisPort = Integer.parseInt(value);
                    case "--server-cpu" -> o.serverCpu = value;
                    case "--nice" -> o.nice = Integer.parseInt(value);
                    case "--jar" -> o.jar = value;
                    case "--loops" -> o.loops = Integer.parseInt(value);
                    case "--seed" -> o.seed = Long.parseLong(value);
                    case "--repeat" -> {
                        o.repeat = Integer.parseInt(value);
                        if (o.repeat < 1) {
                            throw new IllegalArgumentException("--repeat is at least 1");
                        }
                    }
                    case "--jit-warm-up" -> o.jitWarmUpSeconds = switch (value) {
                        case "off" -> 0;
                        case "on" -> null;
                        default -> Integer.parseInt(value);
                    };
                    case "--server-jvm" -> o.jvmOptions.add(value);
                    case "--record" -> {
                        if (!value.equals("machine") && !value.equals("embedded")) {
                            throw new IllegalArgumentException("--record is machine or embedded");
                        }
                        o.record = value;
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; options: --scenario smoke|S1|S1-history|S2|S2-history|S3|S4|S4-16s|S4-8s|S4-4s|S4-6s"
                            + "|S4-5s|S4-3s|S4-2.5s|S4-2s|S4-<seconds>s (or several, comma-separated), "
                            + "--attack all|<comma-separated attack names>, "
                            + "--target both|<comma-separated baseline,service,cluster>, --port, --redis-port, "
                            + "--server-cpu, --nice, --jar, --loops, --seed, --repeat <runs>, --jit-warm-up on|off|<seconds>, "
                            + "--record machine|embedded, "
                            + "--server-jvm <one JVM option> (repeatable)");
                }
            }
            return o;
        }

        /**
         * The warm-up asked for, else the default: twice as long for the cluster, whose two JVMs
         * share the core that the single service has alone, so each gets about the same warm-up.
         */
        int jitWarmUpSeconds(String target) {
            if (jitWarmUpSeconds != null) {
                return jitWarmUpSeconds;
            }
            return target.equals("cluster") ? 2 * Scenario.DEFAULT_WARM_UP_SECONDS : Scenario.DEFAULT_WARM_UP_SECONDS;
        }

        private static List<String> targets(String value) {
            List<String> targets = value.equals("both") ? List.of("baseline", "service") : List.of(value.split(","));
            for (String target : targets) {
                if (!List.of("baseline", "service", "cluster").contains(target)) {
                    throw new IllegalArgumentException("Unknown target " + target
                            + "; targets: both, or a comma-separated list of baseline, service, cluster");
                }
            }
            return targets;
        }
    }
}
