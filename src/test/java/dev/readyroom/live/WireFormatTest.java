package dev.readyroom.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.readyroom.domain.BacklogItem;
import dev.readyroom.domain.Decks;
import dev.readyroom.domain.EventType;
import dev.readyroom.domain.Flag;
import dev.readyroom.domain.RevealedVote;
import dev.readyroom.domain.RoomEvent.ItemUpdated;
import dev.readyroom.domain.RoomEvent.VoteCast;
import dev.readyroom.domain.RoomEvent.VoteWithdrawn;
import dev.readyroom.domain.RoomEvent;
import dev.readyroom.domain.RoomRules;
import dev.readyroom.domain.RoomRulesCompletenessTest;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.RoomView;
import dev.readyroom.domain.RoomView.VoteView;
import dev.readyroom.domain.Round;
import dev.readyroom.domain.Settings;
import dev.readyroom.domain.Statistics;
import dev.readyroom.domain.Vote;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written messages read exactly as databind writes the general ones. */
class WireFormatTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final WireFormat wire = new WireFormat(mapper);
    private final RoomState room = RoomState.create("room-1", "Refinement", Decks.FIBONACCI, new Settings(false),
            "hash", 20);

    /** The domain's sample of every event type (one per permitted type, checked there). */
    @Test
    void everyEventTypeHasAWireFormWithItsTypeAndItsMembership() throws Exception {
        RoomState before = RoomRulesCompletenessTest.room();
        for (RoomEvent event : RoomRulesCompletenessTest.events().toList()) {
            PublishedEvent published = wire.event(event, RoomRules.apply(before, event), "e1");

            JsonNode json = mapper.readTree(published.json());
            assertThat(json.get("type").asText()).as(event.toString()).isEqualTo(event.type().wireName());
            assertThat(published.type()).isEqualTo(event.type());
            assertThat(published.membership()).as(event.toString())
                    .isEqualTo(WireFormat.membershipIn(published.type(), published.json()));
            boolean opensOrEndsAConnection = event instanceof RoomEvent.PresenceChanged
                    || event instanceof RoomEvent.ParticipantLeft;
            assertThat(published.membership() != null).as(event.toString()).isEqualTo(opensOrEndsAConnection);
        }
    }

    @Test
    void anItemEventIsAsLargeWithFiftyRoundsOfHistoryAsWithNone() {
        List<RevealedVote> hundredVotes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hundredVotes.add(new RevealedVote("p" + i, "Voter " + i, "8", List.of(Flag.RISK)));
        }
        BacklogItem fresh = BacklogItem.create("i1", "Checkout", "d".repeat(2_000), "a".repeat(2_000), null);
        BacklogItem revoted = fresh;
        for (int number = 1; number <= 50; number++) {
            revoted = revoted.withRound(Round.open(number, "i1").reveal(hundredVotes,
                    Statistics.compute(Decks.FIBONACCI, hundredVotes)));
        }

        String withoutHistory = wire.event(new ItemUpdated(fresh), roomWith(fresh), "e1").json();
        String withHistory = wire.event(new ItemUpdated(revoted), roomWith(revoted), "e1").json();

        assertThat(withHistory.length()).isLessThan(withoutHistory.length() + 100).isLessThan(10_000);
        assertThat(withHistory).contains("\"roundCount\":50").doesNotContain("Voter 1");
    }

    /**
     * The largest room the rules let anyone build: a full backlog's text, every revealed round a
     * room keeps (of 100 voters with the longest names, every flag raised), the quick rounds.
     */
    @Test
    void theSnapshotOfTheLargestRoomStaysUnderAMegabyte() throws Exception {
        List<RevealedVote> fullRound = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fullRound.add(new RevealedVote("p_" + "x".repeat(22) + i, "N".repeat(40), "coffee", List.of(Flag.values())));
        }
        int items = RoomState.MAX_ITEMS;
        int textPerItem = RoomState.MAX_BACKLOG_TEXT / items;
        int roundsPerItem = RoomState.MAX_ROUNDS_PER_ROOM / items;
        List<BacklogItem> backlog = new ArrayList<>();
        int number = 0;
        for (int i = 1; i <= items; i++) {
            BacklogItem item = BacklogItem.create("i" + i, "t".repeat(textPerItem), null, null, null);
            for (int r = 0; r < roundsPerItem; r++) {
                item = item.withRound(Round.open(++number, "i" + i).reveal(fullRound,
                        Statistics.compute(Decks.FIBONACCI, fullRound)));
            }
            backlog.add(item);
        }
        List<Round> quick = new ArrayList<>();
        for (int q = 0; q < RoomState.MAX_QUICK_ROUNDS_KEPT; q++) {
            quick.add(Round.open(++number, null).reveal(fullRound, Statistics.compute(Decks.FIBONACCI, fullRound)));
        }
        RoomState largest = RoomState.restored("room-1", "R".repeat(80), Decks.FIBONACCI, new Settings(false), "hash",
                backlog, quick, number, items, 100, 1, null);
        assertThat(largest.backlogText()).isEqualTo(RoomState.MAX_BACKLOG_TEXT);
        assertThat(largest.itemRounds()).isEqualTo(RoomState.MAX_ROUNDS_PER_ROOM);

        String snapshot = mapper.writeValueAsString(RoomView.of(largest, null));

        assertThat(snapshot.getBytes(StandardCharsets.UTF_8).length).isLessThan(1 << 20);
        JsonNode shown = mapper.readTree(snapshot);
        assertThat(shown.get("items").get(items - 1).get("roundCount").asInt()).isEqualTo(roundsPerItem);
        assertThat(shown.get("items").get(items - 1).get("rounds")).as("the newest rounds are shown").hasSize(2);
        assertThat(shown.get("items").get(0).get("rounds")).as("the oldest are a request away").isEmpty();
    }

    private static RoomState roomWith(BacklogItem item) {
        return RoomState.restored("room-1", "Refinement", Decks.FIBONACCI, new Settings(false), "hash", List.of(item),
                List.of(), 50, 1, 20, 7, null);
    }

    @Test
    void aVoteEventNamesTheVoterAndNeverTheValue() throws Exception {
        PublishedEvent cast = wire.event(new VoteCast("p\"1\\\n", new Vote("13", List.of(Flag.RISK))), room,
                "epoch-é");

        assertThat(cast.json()).startsWith("{\"type\":\"vote.cast\"").doesNotContain("13").doesNotContain("risk");
        assertThat(mapper.readTree(cast.json())).isEqualTo(event("vote.cast", "epoch-é").put("participantId",
                "p\"1\\\n"));
        assertThat(cast.type()).isEqualTo(EventType.VOTE_CAST);
        assertThat(cast.version()).isEqualTo(room.version());
    }

    @Test
    void aWithdrawnVoteEventNamesTheVoter() throws Exception {
        PublishedEvent withdrawn = wire.event(new VoteWithdrawn("p-2"), room, "e1");

        assertThat(mapper.readTree(withdrawn.json()))
                .isEqualTo(event("vote.withdrawn", "e1").put("participantId", "p-2"));
    }

    @Test
    void acksCarryTheOpIdTheVersionAndTheSendersOwnVote() throws Exception {
        VoteView vote = new VoteView("½", List.of("dependency", "too-big"));
        JsonNode withVote = mapper.readTree(wire.ack("op \"7\"\t\u0001", 42, vote));
        ObjectNode expected = mapper.createObjectNode().put("type", "ack").put("opId", "op \"7\"\t\u0001")
                .put("version", 42);
        expected.set("vote", mapper.valueToTree(vote));
        assertThat(withVote).isEqualTo(expected);

        VoteView noFlags = new VoteView("?", List.of());
        expected.set("vote", mapper.valueToTree(noFlags));
        assertThat(mapper.readTree(wire.ack("op \"7\"\t\u0001", 42, noFlags))).isEqualTo(expected);

        expected.remove("vote");
        assertThat(mapper.readTree(wire.ack("op \"7\"\t\u0001", 42, null))).isEqualTo(expected);
    }

    /** Read back from its text, so a number reads the same whichever Java type it was put as. */
    private ObjectNode event(String type, String epoch) throws Exception {
        return (ObjectNode) mapper.readTree(mapper.createObjectNode().put("type", type).put("epoch", epoch)
                .put("version", room.version()).toString());
    }
}
