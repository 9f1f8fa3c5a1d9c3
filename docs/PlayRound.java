// Plays one refinement round against a running Ready Room, with three real WebSocket clients.
// Run it with nothing but Java 17:  java docs/PlayRound.java [http://localhost:8080]
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class PlayRound {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://localhost:8080";
        String created = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/rooms"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Demo refinement\",\"deck\":\"fibonacci\"}"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String roomId = field(created, "id");
        String key = field(created, "facilitatorKey");
        System.out.println("Room created: " + field(created, "joinUrl"));

        Client fran = new Client(base, roomId, "{\"type\":\"join\",\"name\":\"Fran\",\"role\":\"observer\",\"facilitatorKey\":\"" + key + "\"}");
        Client ana = new Client(base, roomId, "{\"type\":\"join\",\"name\":\"Ana\",\"role\":\"voter\"}");
        Client bo = new Client(base, roomId, "{\"type\":\"join\",\"name\":\"Bo\",\"role\":\"voter\"}");

        fran.send("{\"type\":\"item.add\",\"opId\":\"1\",\"title\":\"Export the backlog to CSV\",\"acceptanceCriteria\":\"Opens in a spreadsheet\"}");
        String itemId = field(fran.await("\"item.added\""), "id");
        fran.send("{\"type\":\"item.select\",\"opId\":\"2\",\"itemId\":\"" + itemId + "\"}");
        fran.await("\"round.started\"");

        ana.send("{\"type\":\"vote\",\"opId\":\"a1\",\"value\":\"3\"}");
        bo.send("{\"type\":\"vote\",\"opId\":\"b1\",\"value\":\"13\",\"flags\":[\"scope\"]}");
        System.out.println("Bo sees Ana vote (no value): " + bo.await("\"vote.cast\""));
        fran.await("\"vote.cast\"");
        fran.await("\"vote.cast\"");

        fran.send("{\"type\":\"reveal\",\"opId\":\"3\"}");
        System.out.println("Reveal: " + ana.await("\"round.revealed\""));

        fran.send("{\"type\":\"item.estimate\",\"opId\":\"4\",\"itemId\":\"" + itemId + "\",\"value\":\"8\"}");
        System.out.println("Settled: " + bo.await("\"item.estimated\""));
        for (Client client : new Client[] {fran, ana, bo}) {
            client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("No " + name + " in " + json);
        }
        return m.group(1);
    }

    static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        final WebSocket socket;

        Client(String base, String roomId, String join) throws Exception {
            socket = HTTP.newWebSocketBuilder()
                    .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/ws/rooms/" + roomId), this).join();
            send(join);
            await("\"welcome\"");
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        String await(String marker) throws InterruptedException {
            while (true) {
                String frame = frames.poll(5, TimeUnit.SECONDS);
                if (frame == null) {
                    throw new IllegalStateException("Nothing with " + marker + " arrived");
                }
                if (frame.contains("\"error\"")) {
                    throw new IllegalStateException("The service refused a command: " + frame);
                }
                if (frame.contains(marker)) {
                    return frame;
                }
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
