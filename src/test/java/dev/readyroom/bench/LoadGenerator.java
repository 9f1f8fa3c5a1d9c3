package dev.readyroom.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;

/** Runs one scenario against one server (one process, or a cluster of several) and measures it. */
public final class LoadGenerator {
    /**
     * A server under test: where members connect (rooms are created on the first endpoint, and the
     * members of each room are dealt round-robin over the endpoints), the processes whose CPU time and
     * memory are its cost, and what it uses that is not measured (printed with the figures).
     */
    public record Target(String name, List<Endpoint> endpoints, List<ServerPid> processes, String unmeasured) {
        /** One process on one port; its pid is the generator's own in tests. */
        public Target(String name, String host, int port, long pid) {
            this(name, List.of(new Endpoint(host, port)), List.of(new ServerPid(name, pid, true)), "");
        }
    }

    public record Endpoint(String host, int port) {
    }

    /** A process of the server under test, read from /proc; a JVM is collected before its RSS counts. */
    public record ServerPid(String name, long pid, boolean jvm) {
    }

    private static final int SOCKETS_PER_SOURCE_ADDRESS = 10_000;
    private static final int CONNECTING_PER_LOOP = 128;

    private final Scenario scenario;
    private final Target target;
    private final int loopCount;
    private final long seed;
    private boolean leaveAtEnd;
    private final CompletableFuture<long[]> measuring = new CompletableFuture<>();

    public LoadGenerator(Scenario scenario, Target target, int loopCount, long seed) {
        this.scenario = scenario;
        this.target = target;
        this.loopCount = loopCount;
        this.seed = seed;
    }

    /**
     * Everyone leaves for good at the end of the run, as after a warm-up run on a server that goes
     * on to be measured: otherwise their expiry, a grace period later, would fall in that measurement.
     */
    public LoadGenerator leavingAtTheEnd() {
        leaveAtEnd = true;
        return this;
    }

    /**
     * Completes once the rounds are scheduled, with the {@code System.nanoTime()} at which the first
     * measured round starts and the end of the window in which every room is measured: what an attack
     * run alongside (bench/Attacks) spans.
     */
    public CompletableFuture<long[]> measuring() {
        return measuring;
    }

    public Report run() throws Exception {
        String loadAtStart = ProcStats.loadAverage();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loopCount));
        try {
            LongAdder deliveries = new LongAdder();
            LongAdder tracked = new LongAdder();
            List<Loop> loops = startLoops(vertx, clients(vertx), deliveries, tracked);
            List<RoomDriver> rooms = createRooms(vertx, loops);
            long[] rssBefore = collectedRssKiB();

            long connectStart = System.nanoTime();
            List<Future<Void>> ready = new ArrayList<>();
            for (int i = 0; i < rooms.size(); i++) {
                RoomDriver room = rooms.get(i);
                loops.get(i % loops.size()).context.runOnContext(v -> room.connect());
                ready.add(room.ready());
            }
            Future.join(new ArrayList<>(ready)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            long[] rssAfter = collectedRssKiB();
            int held = onLoops(loops, rooms, RoomDriver::members);
            playHistory(loops, rooms);
            // What holding the connections costs with no traffic (pings, timers, GC), to subtract below.
            Sample idleStart = Sample.take(target.processes(), deliveries);
            Thread.sleep(3_000);
            Sample idleEnd = Sample.take(target.processes(), deliveries);

            long round = scenario.roundMillis() * 1_000_000;
            long start = System.nanoTime() + 1_000_000_000L;
            for (int i = 0; i < rooms.size(); i++) {
                RoomDriver room = rooms.get(i);
                long offset = scenario.staggerMillis() * 1_000_000 * i / rooms.size();
                loops.get(i % loops.size()).context.runOnContext(v -> room.schedule(start + offset));
            }
            // The window in which every room is past its warm-up and none has finished.
            long windowStart = start + scenario.staggerMillis() * 1_000_000 + scenario.warmRounds() * round;
            long windowEnd = start + (scenario.rounds() - 1) * round + round * 7 / 10;
            measuring.complete(new long[] {start + scenario.warmRounds() * round, windowEnd});
            sleepUntil(windowStart);
            Sample first = Sample.take(target.processes(), deliveries);
            sleepUntil(windowEnd);
            Sample last = Sample.take(target.processes(), deliveries);
            long lastAction = start + scenario.staggerMillis() * 1_000_000 + windowEnd - start;
            sleepUntil(lastAction + 1_000_000_000L);

            long expected = collect(loops).expected();
            long drainUntil = System.nanoTime() + 5_000_000_000L;
            while (tracked.sum() < expected && System.nanoTime() < drainUntil) {
                Thread.sleep(100);
            }
            Recorder total = collect(loops);
            if (leaveAtEnd) {
                for (int i = 0; i < rooms.size(); i++) {
                    RoomDriver room = rooms.get(i);
                    loops.get(i % loops.size()).context.runOnContext(v -> room.leave());
                }
                Thread.sleep(2_000);
            }
            return new Report(scenario, target, total, held, connectSeconds, rssBefore, rssAfter, idleStart,
                    idleEnd, first, last, loadAtStart, ProcStats.loadAverage());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** The unmeasured prelude of an {@code -history} scenario, in every room at once. */
    private void playHistory(List<Loop> loops, List<RoomDriver> rooms) throws Exception {
        if (scenario.historyRounds() == 0) {
            return;
        }
        long started = System.nanoTime();
        List<Future<Void>> played = new ArrayList<>();
        for (int i = 0; i < rooms.size(); i++) {
            RoomDriver room = rooms.get(i);
            played.add(onLoop(loops.get(i % loops.size()), room::playHistory));
        }
        Future.all(new ArrayList<>(played)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
        System.out.printf(Locale.ROOT, "  %-20s %d revealed rounds of every voter on each room's first item in "
                        + "%.1f s (%d commands answered unavailable and sent again); not measured%n", "history prelude:",
                scenario.historyRounds(), (System.nanoTime() - started) / 1e9, collect(loops).preludeRetries);
    }

    private static Recorder collect(List<Loop> loops) throws Exception {
        Recorder total = new Recorder();
        for (Loop loop : loops) {
            onLoop(loop, () -> {
                loop.recorder.addTo(total);
                return null;
            });
        }
        return total;
    }

    /** The RSS of each server process, every JVM's after a full GC. */
    private long[] collectedRssKiB() {
        target.processes().stream().filter(ServerPid::jvm).forEach(p -> ProcStats.collectGarbage(p.pid()));
        return target.processes().stream().mapToLong(p -> ProcStats.rssKiB(p.pid())).toArray();
    }

    /** CPU and delivery counters at one instant; the server's CPU time per process, in target order. */
    record Sample(long nanos, long[] processCpuMicros, Map<String, Long> jvmThreadCpuMicros, long generatorCpuMicros,
            long deliveries) {
        static Sample take(List<ServerPid> processes, LongAdder deliveries) {
            Map<String, Long> threads = new LinkedHashMap<>();
            processes.stream().filter(ServerPid::jvm).forEach(p -> ProcStats.threadCpuMicros(p.pid())
                    .forEach((group, micros) -> threads.merge(group, micros, Long::sum)));
            return new Sample(System.nanoTime(), processes.stream().mapToLong(p -> ProcStats.cpuMicros(p.pid()))
                    .toArray(), threads, ProcStats.cpuMicros(ProcessHandle.current().pid()), deliveries.sum());
        }

        long serverCpuMicros() {
            return Arrays.stream(processCpuMicros).sum();
        }
    }

    private List<WebSocketClient> clients(Vertx vertx) {
        int addresses = Math.max(1, (scenario.connections() + SOCKETS_PER_SOURCE_ADDRESS - 1)
                / SOCKETS_PER_SOURCE_ADDRESS);
        List<WebSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < addresses; i++) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setLocalAddress("127.0.0." + (i + 1))
                    .setMaxConnections(scenario.connections() + 1)
                    .setTryUsePerMessageCompression(false)
                    .setConnectTimeout(30_000)));
        }
        return clients;
    }

    private List<Loop> startLoops(Vertx vertx, List<WebSocketClient> clients, LongAdder deliveries,
            LongAdder tracked) throws Exception {
        List<Loop> loops = new ArrayList<>();
        for (int i = 0; i < loopCount; i++) {
            CompletableFuture<Context> started = new CompletableFuture<>();
            vertx.deployVerticle(new AbstractVerticle() {
                @Override
                public void start() {
                    started.complete(context);
                }
            });
            loops.add(new Loop(started.get(10, TimeUnit.SECONDS), clients, CONNECTING_PER_LOOP, deliveries,
                    tracked));
        }
        return loops;
    }

    private List<RoomDriver> createRooms(Vertx vertx, List<Loop> loops) throws Exception {
        Endpoint rest = target.endpoints().get(0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<RoomDriver> rooms = new ArrayList<>();
        for (int i = 0; i < scenario.rooms(); i++) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + rest.host() + ":" + rest.port() + "/api/rooms"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"Bench room " + i + "\",\"deck\":\"fibonacci\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("Creating a room answered " + created.statusCode() + ": "
                        + created.body());
            }
            rooms.add(new RoomDriver(vertx, loops.get(i % loops.size()), scenario, target.endpoints(),
                    Wire.after(created.body(), "\"id\":\""), Wire.after(created.body(), "\"facilitatorKey\":\""),
                    seed * 31 + i));
        }
        return rooms;
    }

    private static int onLoops(List<Loop> loops, List<RoomDriver> rooms,
            ToIntFunction<RoomDriver> count) throws Exception {
        int sum = 0;
        for (int i = 0; i < loops.size(); i++) {
            int index = i;
            sum += onLoop(loops.get(i), () -> {
                int s = 0;
                for (int r = index; r < rooms.size(); r += loops.size()) {
                    s += count.applyAsInt(rooms.get(r));
                }
                return s;
            });
        }
        return sum;
    }

    /** Reads a loop's state on the loop itself. */
    private static <T> T onLoop(Loop loop, Callable<T> read) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.context.runOnContext(v -> {
            try {
                result.complete(read.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long millis = (nanos - System.nanoTime()) / 1_000_000;
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
