package dev.readyroom.deploy;

import static dev.readyroom.testkit.Acks.untilAcked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readyroom.testkit.NginxServer;
import dev.readyroom.testkit.RawUpgrade;
import dev.readyroom.testkit.Deliveries;
import dev.readyroom.testkit.RecordDatabase;
import dev.readyroom.testkit.RedisServer;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.ServiceNode;
import dev.readyroom.testkit.TestRoom;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * docker-compose.yml's topology with the same parts as processes: Debian's nginx running the
 * shipped nginx.conf (only its upstream addresses, listen port and writable paths changed), two
 * nodes of the packaged app with the compose file's node environment (only its addresses changed),
 * a Redis and a PostgreSQL database of the test's own. Every client goes through nginx.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NginxTopologyIT {
    private static final Duration REPLY = Duration.ofSeconds(5);
    /** REST writes each node allows one client address at once (the default is 30): small, so the test reaches it fast. */
    private static final int REST_WRITES_BURST = 6;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static RedisServer redis;
    private static RecordDatabase record;
    private static ServiceNode nodeA;
    private static ServiceNode nodeB;
    private static NginxServer nginx;
    /** READYROOM_PUBLIC_URL as the nodes run it: the compose file's, on the local nginx's port. */
    private static String publicUrl;
    private final List<RoomClient> clients = new ArrayList<>();

    @BeforeAll
    static void startTheTopology() throws Exception {
        redis = RedisServer.started();
        record = RecordDatabase.fresh("readyroom_nginx_it");
        int nginxPort = RedisServer.freePort();
        Map<String, String> environment = localEnvironment(nginxPort);
        nodeA = node("a", environment).start();
        nodeB = node("b", environment).start();
        nodeA.awaitReady();
        nodeB.awaitReady();
        nginx = NginxServer.started(DeploymentFiles.NGINX, Map.of("node1", nodeA.port(), "node2", nodeB.port()),
                nginxPort, "/q/health/ready");
    }

    /**
     * The compose file's node environment with only what names a place changed: Redis and
     * PostgreSQL are the test's, the public URL is on the local nginx's port. Everything else (the
     * proxy settings among it) is passed as shipped: a misspelt name shows as a failing test here.
     */
    private static Map<String, String> localEnvironment(int nginxPort) {
        Map<String, String> shipped = DeploymentFiles.environment(DeploymentFiles.NODES.get(0));
        for (String other : DeploymentFiles.NODES) {
            assertThat(DeploymentFiles.environment(other)).as("%s's environment", other).isEqualTo(shipped);
        }
        Map<String, String> local = new LinkedHashMap<>(shipped);
        String database = RecordDatabase.POSTGRES + "/readyroom_nginx_it";
        replace(local, "REDIS_URL", redis.url());
        replace(local, "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + database);
        replace(local, "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + database);
        // The machine's PostgreSQL trusts local connections: the compose password is ignored.
        replace(local, "QUARKUS_DATASOURCE_USERNAME", "postgres");
        URI shippedPublic = URI.create(local.get("READYROOM_PUBLIC_URL"));
        publicUrl = shippedPublic.getScheme() + "://" + shippedPublic.getHost() + ":" + nginxPort;
        replace(local, "READYROOM_PUBLIC_URL", publicUrl);
        return local;
    }

    private static void replace(Map<String, String> environment, String name, String value) {
        assertThat(environment).as("docker-compose.yml's node environment").containsKey(name);
        environment.put(name, value);
    }

    private static ServiceNode.Builder node(String name, Map<String, String> environment) {
        // env(1) execs java, so the node's pid is java's: SIGTERM and kill -9 reach the service itself.
        List<String> launcher = new ArrayList<>(List.of("env"));
        environment.forEach((key, value) -> launcher.add(key + "=" + value));
        return ServiceNode.named("nginx-it-" + name).launcher(launcher).defaultLimits()
                .properties("-Dreadyroom.limits.rest-writes-per-address-burst=" + REST_WRITES_BURST);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {nginx, nodeA, nodeB, redis}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RoomClient::close);
    }

    @Test
    @Order(1)
    void aFullRoundThroughNginxReachesEveryClientOnBothNodes() throws Exception {
        TestRoom room = TestRoom.create(nginx.uri(), "Through nginx");
        RoomClient fran = joined(room, "fran", "observer", room.facilitatorKey());
        List<RoomClient> voters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            voters.add(joined(room, "voter" + i, "voter", null));
        }
        // nginx spread the sockets over both nodes: the round crosses nodes through Redis.
        socketsOfTheTeamOn(nodeA, clients);

        String[] cards = {"3", "5", "8", "13"};
        long last = 0;
        for (int round = 0; round < 2; round++) {
            long added = version(untilAcked(fran, "item.add", "title", "Story " + round));
            String itemId = fran.awaitEvent("item.added", added).getJsonObject("item").getString("id");
            untilAcked(fran, "item.select", "itemId", itemId);
            for (int v = 0; v < voters.size(); v++) {
                untilAcked(voters.get(v), "vote", "value", cards[(v + round) % cards.length]);
            }
            long revealedAt = version(untilAcked(fran, "reveal"));
            JsonObject revealed = fran.awaitEvent("round.revealed", revealedAt);
            assertThat(revealed.getJsonObject("round").getJsonArray("votes")).hasSize(voters.size());
            last = version(untilAcked(fran, "item.estimate", "itemId", itemId, "value", "5"));
        }
        assertEveryoneSawEverything(last);
        // The nodes record to the database the compose file's datasource variables name.
        await().atMost(Duration.ofSeconds(20)).until(() -> record.count(
                "select count(*) from revealed_vote where room_id = ?", room.id()) == 2 * 4);
        assertThat(record.count("select count(*) from settled_estimate where room_id = ?", room.id())).isEqualTo(2);
    }

    @Test
    @Order(2)
    void aRequestAskingForAnotherUpgradeIsAnsweredInHttp11() throws Exception {
        // Java's client (as curl --http2) asks plain-http servers to upgrade to h2c: nginx must not
        // pass that upgrade on, or the node takes it up and the request hangs in nginx's tunnel.
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(nginx.uri().resolve("/q/health/ready"))
                .version(HttpClient.Version.HTTP_2).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    @Order(3)
    void theOriginCheckAndTheLinksSeeThePublicAddressThroughNginx() throws Exception {
        String body = new JsonObject().put("name", "Links").put("deck", "fibonacci").encode();
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(nginx.uri().resolve("/api/rooms"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String roomId = new JsonObject(created.body()).getString("id");
        // The join link is the public URL's; the Location is the address the client used, through
        // nginx's Host and X-Forwarded-Port (not the node's own port, nor the upstream's name).
        assertThat(new JsonObject(created.body()).getString("joinUrl")).isEqualTo(publicUrl + "/r/" + roomId);
        assertThat(created.headers().firstValue("Location")).hasValue(nginx.http() + "/api/rooms/" + roomId);

        String path = "/ws/rooms/" + roomId;
        URI publicOrigin = URI.create(publicUrl);
        String otherScheme = "https://" + publicOrigin.getHost() + ":" + publicOrigin.getPort();
        // Twice each: nginx alternates the nodes, and both must answer alike.
        for (int i = 0; i < 2; i++) {
            assertThat(RawUpgrade.answer(nginx.uri(), path, Map.of("Origin", publicUrl)).status())
                    .as("the public origin").isEqualTo(101);
            assertThat(RawUpgrade.answer(nginx.uri(), path, Map.of("Origin", "http://evil.example")).status())
                    .as("a foreign origin").isEqualTo(403);
            assertThat(RawUpgrade.answer(nginx.uri(), path, Map.of("Origin", otherScheme)).status())
                    .as("the public host on another scheme").isEqualTo(403);
        }
        // A browser's socket from the public origin plays through nginx.
        RoomClient browser = RoomClient.connect(nginx.uri(), roomId, Map.of("Origin", publicUrl));
        clients.add(browser);
        assertThat(browser.join("Bea", "voter").getString("type")).isEqualTo("welcome");
    }

    @Test
    @Order(4)
    void eachClientBehindNginxHasItsOwnAddressLimitsAndCannotChooseItsAddress() throws Exception {
        // One client (127.0.0.2) creates rooms until both nodes refuse it.
        int created = 0;
        int refusedInARow = 0;
        for (int i = 0; i < 4 * REST_WRITES_BURST + 4 && refusedInARow < 2; i++) {
            int status = createRoomFrom("127.0.0.2", Map.of());
            assertThat(status).isIn(201, 429);
            created += status == 201 ? 1 : 0;
            refusedInARow = status == 429 ? refusedInARow + 1 : 0;
        }
        assertThat(refusedInARow).as("refused by both nodes after %d rooms", created).isEqualTo(2);
        // Each node gave it a burst of its own (nginx alternates them), and refilled it meanwhile.
        assertThat(created).isGreaterThanOrEqualTo(2 * REST_WRITES_BURST);
        // Naming another address does not help: nginx replaces X-Forwarded-For with the client's own.
        for (int i = 0; i < 2; i++) {
            assertThat(createRoomFrom("127.0.0.2", Map.of("X-Forwarded-For", "198.51.100.7"))).isEqualTo(429);
        }
        // Another client behind the same nginx is not held back by the first one's use.
        for (int i = 0; i < 2; i++) {
            assertThat(createRoomFrom("127.0.0.3", Map.of())).isEqualTo(201);
        }
    }

    @Test
    @Order(5)
    void theManifestsProbesAnswerOnEveryNode() throws Exception {
        Map<String, Object> container = DeploymentFiles.at(DeploymentFiles.k8s("Deployment"), "spec", "template",
                "spec", "containers", 0);
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            String path = DeploymentFiles.at(container, probe, "httpGet", "path");
            for (ServiceNode node : List.of(nodeA, nodeB)) {
                assertThat(node.response(path).statusCode()).as("%s %s on %s", probe, path, node.http()).isEqualTo(200);
            }
        }
    }

    @Test
    @Order(6)
    void aNodeStoppedBehindNginxHasItsClientsResumeOnTheOtherWithNoAcknowledgedVoteLost() throws Exception {
        TestRoom room = TestRoom.create(nginx.uri(), "Stop behind nginx");
        List<RoomClient> team = team(room, 6);
        untilAcked(team.get(0), "round.quick");
        Map<String, String> acked = voteAll(team);
        int onB = socketsOfTheTeamOn(nodeB, team);

        // An operator stops node B (SIGTERM): it closes its sockets with 1001 before it exits.
        nodeB.stop();
        await().atMost(REPLY).until(() -> team.stream().filter(RoomClient::isClosed).count() == onB);
        assertThat(team).filteredOn(RoomClient::isClosed).as("clients whose node stopped")
                .allMatch(c -> Integer.valueOf(1001).equals(c.closeCode()));

        // They reconnect through nginx, which finds node B gone and hands them to node A.
        List<RoomClient> now = resumeClosed(room, team);
        assertRevealHolds(now, acked);
    }

    @Test
    @Order(7)
    void aNodeKilledBehindNginxHasItsClientsResumeOnTheOtherWithNoAcknowledgedVoteLost() throws Exception {
        // Node B back, as an orchestrator restarts it: nginx gives it new clients at once.
        if (nodeB.alive()) {
            nodeB.stop(); // the test before failed before it stopped node B: one process per node
        }
        nodeB.start();
        nodeB.awaitReady();
        TestRoom room = TestRoom.create(nginx.uri(), "Kill behind nginx");
        List<RoomClient> team = team(room, 6);
        untilAcked(team.get(0), "round.quick");
        Map<String, String> acked = voteAll(team);
        int onA = socketsOfTheTeamOn(nodeA, team);

        // Node A dies (kill -9): its sockets break with no close frame.
        nodeA.crash();
        await().atMost(REPLY).until(() -> team.stream().filter(RoomClient::isClosed).count() == onA);
        List<RoomClient> now = resumeClosed(room, team);
        assertRevealHolds(now, acked);
    }

    // ---- the room's clients, all through nginx

    private RoomClient joined(TestRoom room, String name, String role, String facilitatorKey) {
        RoomClient client = room.connect(nginx.uri());
        clients.add(client);
        if (facilitatorKey == null) {
            client.join(name, role);
        } else {
            client.joinAsFacilitator(name, facilitatorKey);
        }
        return client;
    }

    /** Fran facilitating (an observer), then {@code voters} voters. */
    private List<RoomClient> team(TestRoom room, int voters) {
        List<RoomClient> team = new ArrayList<>(List.of(joined(room, "fran", "observer", room.facilitatorKey())));
        for (int i = 0; i < voters; i++) {
            team.add(joined(room, "voter" + i, "voter", null));
        }
        return team;
    }

    /** Every voter of the team votes; the acknowledged card of each, by participant id. */
    private static Map<String, String> voteAll(List<RoomClient> team) {
        String[] cards = {"1", "2", "3", "5", "8", "13"};
        Map<String, String> acked = new HashMap<>();
        for (int v = 1; v < team.size(); v++) {
            String card = cards[v % cards.length];
            untilAcked(team.get(v), "vote", "value", card);
            acked.put(team.get(v).id(), card);
        }
        return acked;
    }

    /**
     * Each client whose connection ended reconnects through nginx with its token, epoch and version,
     * as the web app does, and must come back as the same participant; the team as it is now.
     */
    private List<RoomClient> resumeClosed(TestRoom room, List<RoomClient> team) {
        List<RoomClient> now = new ArrayList<>();
        for (RoomClient before : team) {
            if (!before.isClosed()) {
                now.add(before);
                continue;
            }
            JsonObject welcome = before.welcome();
            JsonObject you = welcome.getJsonObject("you");
            RoomClient again = room.connect(nginx.uri());
            clients.add(again);
            again.join(new JsonObject().put("type", "join").put("name", you.getString("name"))
                    .put("role", you.getString("role")).put("resume", new JsonObject()
                            .put("token", welcome.getString("token")).put("epoch", welcome.getString("epoch"))
                            .put("version", before.lastVersion())));
            assertThat(again.id()).as("%s resumed", before).isEqualTo(before.id());
            now.add(again);
        }
        return now;
    }

    /** The facilitator reveals: every acknowledged vote is in the round, and everyone sees the reveal. */
    private static void assertRevealHolds(List<RoomClient> team, Map<String, String> acked) {
        RoomClient fran = team.get(0);
        long revealedAt = version(untilAcked(fran, "reveal"));
        for (RoomClient client : team) {
            JsonObject revealed = client.awaitEvent("round.revealed", revealedAt);
            Map<String, String> votes = new HashMap<>();
            revealed.getJsonObject("round").getJsonArray("votes").forEach(vote -> votes.put(
                    ((JsonObject) vote).getString("participantId"), ((JsonObject) vote).getString("value")));
            assertThat(votes).as("the votes %s saw revealed", client).isEqualTo(acked);
        }
    }

    private static long version(JsonObject ack) {
        return ack.getLong("version");
    }

    private void assertEveryoneSawEverything(long last) {
        Deliveries.assertEveryoneSawEverything(clients, last, Duration.ofSeconds(2));
    }

    /**
     * How many of the team's sockets {@code node} holds, once the nodes hold only the team's (those
     * of earlier tests closed); asserts that nginx gave both nodes some.
     */
    private static int socketsOfTheTeamOn(ServiceNode node, List<RoomClient> team)
            throws IOException, InterruptedException {
        await().atMost(REPLY).until(() -> connections(nodeA) + connections(nodeB) == team.size());
        int on = (int) connections(node);
        assertThat(on).as("the team's sockets on %s", node.http()).isBetween(1, team.size() - 1);
        return on;
    }

    /** The room sockets a node holds open (its {@code readyroom_connections} gauge). */
    private static double connections(ServiceNode node) throws IOException, InterruptedException {
        return node.get("/q/metrics").lines().filter(line -> line.startsWith("readyroom_connections "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no readyroom_connections in " + node.http() + "/q/metrics"));
    }

    /** {@code POST /api/rooms} through nginx from the local address {@code from}; the status it got. */
    private static int createRoomFrom(String from, Map<String, String> headers) throws IOException {
        byte[] body = new JsonObject().put("name", "Limits").put("deck", "fibonacci").encode()
                .getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", nginx.port()), 5000);
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("POST /api/rooms HTTP/1.1\r\nHost: 127.0.0.1:")
                    .append(nginx.port()).append("\r\nContent-Type: application/json\r\nContent-Length: ")
                    .append(body.length).append("\r\nConnection: close\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            InputStream in = socket.getInputStream();
            String answer = RawUpgrade.readHeaders(in);
            return Integer.parseInt(answer.substring(9, 12));
        }
    }
}
