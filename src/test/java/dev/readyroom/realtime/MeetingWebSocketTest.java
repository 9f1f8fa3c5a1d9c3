package dev.readyroom.realtime;

import static dev.readyroom.testkit.Team.acked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.Team;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meeting without friction over the real socket: pre-votes, the agenda, the timebox, notes, the
 * facilitator's hand-over.
 */
@QuarkusTest
class MeetingWebSocketTest {

    @TestHTTPResource("/")
    URI base;

    private final List<TestRoom> rooms = new ArrayList<>();

    @AfterEach
    void closeClients() {
        rooms.forEach(TestRoom::close);
    }

    private Team team() {
        TestRoom room = TestRoom.create(base);
        rooms.add(room);
        return room.team();
    }

    private static Team preVoting(Team team) {
        JsonObject ack = acked(team.facilitator().command("settings.update", "preVoting", true));
        JsonObject changed = team.ana().awaitEvent("settings.changed", ack.getLong("version"));
        assertThat(changed.getJsonObject("settings").getBoolean("preVoting")).isTrue();
        return team;
    }

    private static String addItem(RoomClient facilitator, String title) {
        JsonObject ack = acked(facilitator.command("item.add", "title", title));
        return facilitator.awaitEvent("item.added", ack.getLong("version")).getJsonObject("item").getString("id");
    }

    private static JsonObject preVote(RoomClient voter, String itemId, String value, String... flags) {
        return voter.command(new JsonObject().put("type", "prevote").put("itemId", itemId).put("value", value)
                .put("flags", new JsonArray(List.of((Object[]) flags))));
    }

    @Test
    void twoVotersPreVoteAndOthersSeeOnlyHowManyNeverTheValues() {
        Team team = preVoting(team());
        String item = addItem(team.facilitator(), "Checkout");

        JsonObject anasAck = acked(preVote(team.ana(), item, "21", "risk"));
        JsonObject bosAck = acked(preVote(team.bo(), item, "13"));

        assertThat(anasAck.getJsonObject("vote")).isEqualTo(new JsonObject().put("value", "21")
                .put("flags", new JsonArray().add("risk")));
        JsonObject seenByBo = team.bo().awaitEvent("prevote.cast", anasAck.getLong("version"));
        assertThat(seenByBo.fieldNames()).containsExactlyInAnyOrder("type", "epoch", "version", "itemId",
                "participantId", "preVoteCount");
        assertThat(seenByBo.getString("participantId")).isEqualTo(team.ana().id());
        assertThat(team.facilitator().awaitEvent("prevote.cast", bosAck.getLong("version")).getInteger("preVoteCount"))
                .isEqualTo(2);
        RoomClient cy = team.room().voter("Cy");
        JsonObject state = cy.welcome().getJsonObject("state");
        assertThat(state.getJsonArray("items").getJsonObject(0).getInteger("preVoteCount")).isEqualTo(2);
        assertThat(state.getJsonObject("myPreVotes")).isEmpty();
        assertThat(state.getValue("agenda")).isNull();
        for (RoomClient other : List.of(cy, team.bo(), team.facilitator())) {
            List<String> texts = other.frames().stream().map(RoomClient.Frame::text)
                    .filter(text -> !text.contains("\"type\":\"welcome\"")).toList();
            assertThat(texts).as(other.toString())
                    .noneMatch(text -> text.contains("\"21\"") || text.contains("\"risk\""));
        }
        RoomClient anaAgain = team.room().connect();
        anaAgain.resume("Ana", team.ana().welcome().getString("token"), null, null);
        assertThat(anaAgain.welcome().getJsonObject("state").getJsonObject("myPreVotes")).isEqualTo(
                new JsonObject().put(item, new JsonObject().put("value", "21")
                        .put("flags", new JsonArray().add("risk"))));
    }

    @Test
    void theFacilitatorsAgendaPutsDivergentAndFlaggedItemsFirstAndConsensusLast() {
        Team team = preVoting(team());
        String agreed = addItem(team.facilitator(), "Agreed");
        String diverging = addItem(team.facilitator(), "Diverging");
        String flagged = addItem(team.facilitator(), "Flagged");
        acked(preVote(team.ana(), agreed, "5"));
        acked(preVote(team.bo(), agreed, "5"));
        acked(preVote(team.ana(), diverging, "2"));
        acked(preVote(team.bo(), diverging, "13"));
        acked(preVote(team.ana(), flagged, "3", "dependency"));
        acked(preVote(team.bo(), flagged, "3"));

        JsonObject agenda = team.room().facilitator().welcome().getJsonObject("state").getJsonObject("agenda");

        assertThat(List.copyOf(agenda.fieldNames())).containsExactly("diverge", "flags", "few", "close", "consensus");
        assertThat(agenda.getJsonArray("diverge")).containsExactly(diverging);
        assertThat(agenda.getJsonArray("flags")).containsExactly(flagged);
        assertThat(agenda.getJsonArray("consensus")).containsExactly(agreed);
    }

    @Test
    void openingARoundAdoptsThePreVotesAVoterChangesTheirsAndTheRevealShowsThem() {
        Team team = preVoting(team());
        String item = addItem(team.facilitator(), "Checkout");
        acked(preVote(team.ana(), item, "3"));
        acked(preVote(team.bo(), item, "13", "scope"));

        JsonObject opened = acked(team.facilitator().command("item.select", "itemId", item));
        JsonObject started = team.ana().awaitEvent("round.started", opened.getLong("version"));
        assertThat(started.getJsonObject("round").getJsonArray("voted")).containsExactlyInAnyOrder(team.ana().id(),
                team.bo().id());
        assertThat(started.getJsonObject("round").getValue("votes")).isNull();
        assertThat(started.getJsonObject("item").getInteger("preVoteCount")).isZero();
        assertThat(started.encode()).doesNotContain("\"13\"").doesNotContain("scope");
        acked(team.ana().vote("5"));
        JsonObject revealed = acked(team.facilitator().command("reveal"));

        JsonObject round = team.bo().awaitEvent("round.revealed", revealed.getLong("version")).getJsonObject("round");
        List<String> shown = round.getJsonArray("votes").stream().map(v -> ((JsonObject) v).getString("name") + ":"
                + ((JsonObject) v).getString("value") + ":" + ((JsonObject) v).getJsonArray("flags").encode()).toList();
        assertThat(shown).containsExactlyInAnyOrder("Ana:5:[]", "Bo:13:[\"scope\"]");
    }

    @Test
    void aVoterWhoPreVotedAndLeftPastTheGracePeriodFindsTheirPreVoteWhenTheyComeBack() {
        Team team = preVoting(team());
        String item = addItem(team.facilitator(), "Checkout");
        acked(preVote(team.ana(), item, "8", "scope"));
        String anaId = team.ana().id();
        String token = team.ana().welcome().getString("token");

        team.ana().close();
        team.bo().awaitMessage(m -> "participant.left".equals(m.getString("type"))
                && anaId.equals(m.getString("participantId")));
        RoomClient back = team.room().connect();
        back.resume("Ana", token, null, null);

        assertThat(back.id()).isNotEqualTo(anaId);
        JsonObject state = back.welcome().getJsonObject("state");
        assertThat(state.getJsonObject("myPreVotes").getJsonObject(item).getString("value")).isEqualTo("8");
        assertThat(state.getJsonArray("items").getJsonObject(0).getInteger("preVoteCount")).isEqualTo(1);
        JsonObject opened = acked(team.facilitator().command("item.select", "itemId", item));
        assertThat(team.bo().awaitEvent("round.started", opened.getLong("version")).getJsonObject("round")
                .getJsonArray("voted")).containsExactly(back.id());
    }

    @Test
    void preVotesAreRefusedWithAClearErrorAndChangeNothing() {
        Team team = team();
        String item = addItem(team.facilitator(), "Checkout");

        assertThat(preVote(team.ana(), item, "5").getString("code")).isEqualTo("prevoting_off");
        preVoting(team);
        assertThat(preVote(team.ana(), "i99", "5").getString("code")).isEqualTo("unknown_item");
        assertThat(preVote(team.ana(), item, "7").getString("code")).isEqualTo("invalid_value");
        assertThat(preVote(team.facilitator(), item, "5").getString("code")).isEqualTo("not_voter");
        assertThat(team.ana().command("prevote", "value", "5").getString("code")).isEqualTo("missing_field");
        long version = team.ana().lastVersion();
        assertThat(team.room().voter("Cy").welcome().getLong("version")).isEqualTo(version + 1);
    }

    @Test
    void aTimeboxRunsOnTheServerClockALateJoinerSeesItAndStoppingClearsIt() {
        Team team = team();
        assertThat(team.facilitator().command("timebox.start", "minutes", 0).getString("code"))
                .isEqualTo("invalid_value");
        assertThat(team.facilitator().command("timebox.start", "minutes", 16).getString("code"))
                .isEqualTo("invalid_value");
        assertThat(team.ana().command("timebox.start", "minutes", 5).getString("code")).isEqualTo("not_facilitator");
        assertThat(team.facilitator().command("timebox.start", "minutes", "5").getString("code"))
                .isEqualTo("malformed");
        long before = System.currentTimeMillis();

        JsonObject ack = acked(team.facilitator().command("timebox.start", "minutes", 5));

        JsonObject timebox = team.bo().awaitEvent("timebox.started", ack.getLong("version")).getJsonObject("timebox");
        assertThat(timebox.getLong("startedAt")).isBetween(before, System.currentTimeMillis());
        assertThat(timebox.getLong("endsAt")).isEqualTo(timebox.getLong("startedAt") + 300_000);
        assertThat(timebox.getInteger("minutes")).isEqualTo(5);
        JsonObject welcome = team.room().voter("Cy").welcome();
        assertThat(welcome.getJsonObject("state").getJsonObject("timebox")).isEqualTo(timebox);
        assertThat(welcome.getLong("serverTime")).isBetween(timebox.getLong("startedAt"), timebox.getLong("endsAt"));

        JsonObject stopped = acked(team.facilitator().command("timebox.stop"));

        assertThat(team.ana().awaitEvent("timebox.stopped", stopped.getLong("version")).fieldNames())
                .containsExactlyInAnyOrder("type", "epoch", "version");
        assertThat(team.room().voter("Dee").welcome().getJsonObject("state").getValue("timebox")).isNull();
        assertThat(team.facilitator().command("timebox.stop").getString("code")).isEqualTo("no_timebox");
    }

    @Test
    void notesAreWrittenByTheFacilitatorAndANamedScribeNotByAPlainVoter() {
        Team team = team();
        String item = addItem(team.facilitator(), "Checkout");
        team.playRound(item, "5", "8");

        JsonObject first = acked(team.facilitator().command("item.note", "itemId", item, "text",
                "8: payments are new to us"));
        assertThat(team.ana().command("item.note", "itemId", item, "text", "Mine").getString("code"))
                .isEqualTo("not_scribe");
        JsonObject named = acked(team.facilitator().command("participant.scribe", "participantId", team.ana().id()));
        JsonObject second = acked(team.ana().command("item.note", "itemId", item, "text", "Decided: split refunds"));

        JsonObject note = team.bo().awaitEvent("note.added", first.getLong("version"));
        assertThat(note.getString("itemId")).isEqualTo(item);
        assertThat(note.getJsonObject("note")).isEqualTo(new JsonObject().put("number", 1).put("round", 1)
                .put("author", "Fran").put("text", "8: payments are new to us"));
        assertThat(team.bo().awaitEvent("scribe.changed", named.getLong("version")).getString("participantId"))
                .isEqualTo(team.ana().id());
        assertThat(team.bo().awaitEvent("note.added", second.getLong("version")).getJsonObject("note")
                .getString("author")).isEqualTo("Ana");
        assertThat(team.bo().command("item.note", "itemId", item, "text", "Mine").getString("code"))
                .isEqualTo("not_scribe");
        assertThat(team.ana().command("item.note", "itemId", item, "text", "x".repeat(2_001)).getString("code"))
                .isIn(Set.of("invalid_value", "too_large"));
        assertThat(team.ana().command("item.note", "itemId", item, "text", "  ").getString("code"))
                .isEqualTo("invalid_value");
        JsonObject state = team.room().voter("Cy").welcome().getJsonObject("state");
        assertThat(state.getString("scribeId")).isEqualTo(team.ana().id());
        assertThat(state.getJsonArray("items").getJsonObject(0).getJsonArray("notes")).hasSize(2);
    }

    @Test
    void aFacilitatorAwayPastTheGracePeriodHandsOverToTheLongestPresentAndTheKeyTakesItBack() {
        Team team = team();
        String fac = team.facilitator().id();

        team.facilitator().close();

        JsonObject left = team.bo().awaitMessage(m -> "participant.left".equals(m.getString("type"))
                && fac.equals(m.getString("participantId")));
        assertThat(left.getString("reason")).isEqualTo("expired");
        assertThat(left.getString("facilitatorId")).as("Ana joined before Bo").isEqualTo(team.ana().id());
        acked(team.ana().command("item.add", "title", "Ana runs the room now"));

        assertThat(team.bo().command("facilitator.claim", "facilitatorKey", "not-the-key").getString("code"))
                .isEqualTo("invalid_key");
        JsonObject claimed = acked(team.bo().command("facilitator.claim", "facilitatorKey",
                team.room().facilitatorKey()));
        JsonObject changed = team.ana().awaitEvent("facilitator.changed", claimed.getLong("version"));
        assertThat(changed.getString("participantId")).isEqualTo(team.bo().id());
        assertThat(changed.getString("reason")).isEqualTo("claim");
        assertThat(team.ana().command("reveal").getString("code")).isEqualTo("not_facilitator");

        RoomClient back = team.room().facilitator();
        assertThat(back.welcome().getJsonObject("you").getBoolean("facilitator")).isTrue();
        assertThat(team.bo().awaitMessage(m -> "facilitator.changed".equals(m.getString("type"))
                && back.id().equals(m.getString("participantId"))).getString("reason")).isEqualTo("claim");
    }
}
