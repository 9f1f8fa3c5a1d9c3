package dev.readyroom.bench;

import dev.readyroom.testkit.RawUpgrade;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Waves of 150 parallel imports of 9.9 MB each with a bogus facilitator key, each body streamed
 * until the server answers: before the fixes the server read every body first (5.9 GB RSS). Half
 * declare their length, half are chunked, whose length the server cannot refuse in advance.
 */
final class BogusImportsAttack implements Attack {
    private static final int PARALLEL = 150;
    private static final int BODY_BYTES = 9_900_000;
    private static final int CHUNK = 64 * 1024;

    private Attacker.Room room;

    @Override
    public String name() {
        return "bogus-imports";
    }

    @Override
    public String before() {
        return "150 parallel 9.9 MB imports with a bogus key: 5.9 GB RSS";
    }

    @Override
    public void prepare(Attacker attacker) throws Exception {
        room = attacker.createRoom("Imported");
    }

    @Override
    public Outcome run(Attacker attacker, long untilNanos) throws Exception {
        byte[] chunk = "Backlog item\n".repeat(CHUNK / 13 + 1).substring(0, CHUNK).getBytes(StandardCharsets.US_ASCII);
        AtomicLong bodyBytes = new AtomicLong();
        AtomicLong mostOnOne = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(2 * PARALLEL);
        int waves = 0;
        long started = System.nanoTime();
        try {
            while (System.nanoTime() < untilNanos) {
                waves++;
                long waveStarted = System.nanoTime();
                List<Future<?>> imports = new ArrayList<>();
                for (int i = 0; i < PARALLEL; i++) {
                    boolean chunked = i % 2 == 1;
                    imports.add(threads.submit(() -> importOnce(attacker, threads, chunk, chunked, bodyBytes,
                            mostOnOne)));
                }
                for (Future<?> f : imports) {
                    f.get(2, TimeUnit.MINUTES);
                }
                Thread.sleep(Math.max(0, 1_000 - (System.nanoTime() - waveStarted) / 1_000_000));
            }
        } finally {
            threads.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String summary = String.format(Locale.ROOT, "%d waves of %d imports in %.0f s: %s; %.1f MiB of bodies sent "
                        + "in all, at most %.2f MiB on one before its answer", waves, PARALLEL, seconds,
                attacker.tallyOf("import:"), bodyBytes.get() / 1048576.0, mostOnOne.get() / 1048576.0);
        return new Outcome(summary, List.of(summary, "each import: POST /api/rooms/{id}/items/import, text/plain, "
                + "X-Facilitator-Key bogus; half of them with Content-Length 9,900,000, half chunked (so no length "
                + "tells the server in advance); the body is written in 64 KiB chunks until the answer comes, a "
                + "write fails, or 9.9 MB are sent"));
    }

    /** One import on a socket of its own: the answer is read by a second thread while the body is written. */
    private void importOnce(Attacker attacker, ExecutorService threads, byte[] chunk, boolean chunked,
            AtomicLong bodyBytes, AtomicLong mostOnOne) {
        String kind = chunked ? "chunked " : "with length ";
        try (Socket socket = attacker.rawSocket(0)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/rooms/" + room.id() + "/items/import HTTP/1.1\r\nHost: 127.0.0.1:" + attacker.port
                    + "\r\nContent-Type: text/plain\r\n"
                    + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + BODY_BYTES)
                    + "\r\nX-Facilitator-Key: bogus-key\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Future<String> answer = threads.submit(() -> RawUpgrade.readHeaders(socket.getInputStream()));
            byte[] chunkHeader = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            try {
                while (sent < BODY_BYTES && !answer.isDone()) {
                    int n = (int) Math.min(chunk.length, BODY_BYTES - sent);
                    if (chunked) {
                        n = chunk.length;
                        out.write(chunkHeader);
                        out.write(chunk);
                        out.write(crlf);
                    } else {
                        out.write(chunk, 0, n);
                    }
                    sent += n;
                }
                if (chunked && !answer.isDone()) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                // The server answered and closed, or reset: the answer, if any, is read below.
            }
            bodyBytes.addAndGet(sent);
            long onOne = sent;
            mostOnOne.accumulateAndGet(onOne, Math::max);
            String headers;
            try {
                headers = answer.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                headers = "";
            }
            attacker.count("import:" + kind + (headers.length() >= 12 ? headers.substring(9, 12) : "no answer"));
        } catch (IOException e) {
            attacker.count("import:" + kind + "connect failed");
        }
    }
}
