package dev.readyroom.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that join, then flood pings and never read: the pongs the server answers by itself pile
 * up unless it stops reading them. Each of {@link #FLOODERS} threads floods on one socket with a
 * 2 KiB receive window and, once dropped, connects again.
 */
final class PingFloodAttack implements Attack {
    private static final int FLOODERS = 20;
    private static final int PINGS_PER_WRITE = 64;

    private Attacker.Room room;

    @Override
    public String name() {
        return "ping-flood";
    }

    @Override
    public String before() {
        return "ping flood from a client that never reads: 254 MB to 6.4 GB RSS in 25 s";
    }

    @Override
    public void prepare(Attacker attacker) throws Exception {
        room = attacker.createRoom("Flooded");
    }

    @Override
    public Outcome run(Attacker attacker, long untilNanos) throws Exception {
        byte[] pings = new byte[0];
        byte[] ping = Attacker.frame(0x9, "p".repeat(125).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < PINGS_PER_WRITE; i++) {
            pings = concat(pings, ping);
        }
        byte[] burst = pings;
        Queue<Socket> open = new ConcurrentLinkedQueue<>();
        Queue<long[]> ended = new ConcurrentLinkedQueue<>();
        AtomicLong written = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int f = 0; f < FLOODERS; f++) {
            int flooder = f;
            Thread thread = new Thread(() -> flood(attacker, flooder, burst, untilNanos, open, ended, written),
                    "flooder-" + f);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        // A write the server no longer reads blocks with no timeout: the sockets are closed under it.
        Thread.sleep(Math.max(0, (untilNanos - System.nanoTime()) / 1_000_000));
        open.forEach(PingFloodAttack::closeQuietly);
        for (Thread thread : threads) {
            thread.join(5_000);
        }
        long[] droppedAfterMillis = ended.stream().filter(e -> e[2] == 1).mapToLong(e -> e[0]).sorted().toArray();
        long[] bytes = ended.stream().mapToLong(e -> e[1]).sorted().toArray();
        long maxBytes = bytes.length == 0 ? 0 : bytes[bytes.length - 1];
        String summary = String.format(Locale.ROOT, "%d flooding connections, %d dropped by the server (median after "
                        + "%.1f s), at most %.1f MiB written on one, %.0f MiB in all; upgrades %s",
                ended.size(), droppedAfterMillis.length, median(droppedAfterMillis) / 1000.0, maxBytes / 1048576.0,
                written.get() / 1048576.0, attacker.tallyOf("upgrade:"));
        return new Outcome(summary, List.of(summary,
                "each flooder joins on a socket with a 2 KiB receive window, writes 125-byte pings, 64 a write, "
                        + "and never reads; when the server drops it (a write fails) it connects again"));
    }

    /** One flooder: connect, join, ping until dropped; again until the end. {@code ended}: millis, bytes, dropped. */
    private void flood(Attacker attacker, int flooder, byte[] burst, long untilNanos, Queue<Socket> open,
            Queue<long[]> ended, AtomicLong written) {
        int connection = 0;
        while (System.nanoTime() < untilNanos) {
            long started = System.nanoTime();
            long bytes = 0;
            Socket socket = null;
            try {
                socket = attacker.rawSocket(2048);
                open.add(socket);
                if (attacker.rawUpgrade(socket, room.id()) != 101) {
                    closeQuietly(socket);
                    Thread.sleep(1_000);
                    continue;
                }
                OutputStream out = socket.getOutputStream();
                out.write(Attacker.frame(0x1, ("{\"type\":\"join\",\"name\":\"Flooder " + flooder + "-" + connection++
                        + "\",\"role\":\"voter\"}").getBytes(StandardCharsets.UTF_8)));
                while (System.nanoTime() < untilNanos) {
                    out.write(burst);
                    bytes += burst.length;
                    written.addAndGet(burst.length);
                }
                ended.add(new long[] {(System.nanoTime() - started) / 1_000_000, bytes, 0});
            } catch (IOException e) {
                boolean dropped = System.nanoTime() < untilNanos;
                ended.add(new long[] {(System.nanoTime() - started) / 1_000_000, bytes, dropped ? 1 : 0});
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                if (socket != null) {
                    open.remove(socket);
                    closeQuietly(socket);
                }
            }
        }
    }

    private static long median(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already gone.
        }
    }
}
