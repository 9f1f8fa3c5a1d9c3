package dev.readyroom.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.readyroom.domain.Actor;
import dev.readyroom.domain.BacklogItem;
import dev.readyroom.domain.Decision;
import dev.readyroom.domain.Deck;
import dev.readyroom.domain.Note;
import dev.readyroom.domain.Participant;
import dev.readyroom.domain.PreVote;
import dev.readyroom.domain.Role;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.Timebox;
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
import java.util.Map;
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
     * The largest room the rules let anyone build: a full backlog's text (titles and notes by
     * authors with the longest names), every revealed round a room keeps (of 100 voters with the
     * longest names, every flag raised), the quick rounds, a full set of pre-votes on every item,
     * seen by the facilitator (with the agenda) who pre-voted on every item.
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
        Note note = new Note(1, 1_000, "N".repeat(40), "n".repeat(100));
        List<PreVote> preVotes = new ArrayList<>();
        preVotes.add(new PreVote("p_fac", "Fran", "h", new Vote("13", List.of(Flag.values()))));
        for (int p = 1; p < RoomState.MAX_PRE_VOTES_PER_ITEM; p++) {
            preVotes.add(new PreVote("p_" + "x".repeat(22) + p, "N".repeat(40), "h", new Vote("13", List.of())));
        }
        List<BacklogItem> backlog = new ArrayList<>();
        int number = 0;
        for (int i = 1; i <= items; i++) {
            BacklogItem item = BacklogItem.create("i" + i, "t".repeat(textPerItem - note.cost()), null, null, null)
                    .withNote(note).withPreVotes(preVotes);
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
        Participant facilitator = new Participant("p_fac", "Fran", Role.VOTER, true, "h", "n/1");
        RoomState largest = new RoomState("room-1", "R".repeat(80), Decks.FIBONACCI,
                new Settings(false, null, 20.0, true), "hash", facilitator.id(), Map.of(facilitator.id(), facilitator),
                backlog, null, quick, number, items, 100, 1, null, List.of(), false, facilitator.id(),
                new Timebox(1, 2, 1));
        assertThat(largest.backlogText()).isEqualTo(RoomState.MAX_BACKLOG_TEXT);
        assertThat(largest.itemRounds()).isEqualTo(RoomState.MAX_ROUNDS_PER_ROOM);

        String snapshot = mapper.writeValueAsString(RoomView.of(largest, facilitator.id()));

        assertThat(snapshot.getBytes(StandardCharsets.UTF_8).length).isLessThan(1 << 20);
        JsonNode shown = mapper.readTree(snapshot);
        assertThat(shown.get("items").get(items - 1).get("roundCount").asInt()).isEqualTo(roundsPerItem);
        assertThat(shown.get("items").get(items - 1).get("rounds")).as("the newest rounds are shown").hasSize(2);
        assertThat(shown.get("items").get(0).get("rounds")).as("the oldest are a request away").isEmpty();
        assertThat(shown.get("agenda").get("flags")).hasSize(items);
        assertThat(shown.get("myPreVotes")).hasSize(items);
        assertThat(shown.get("items").get(0).get("preVoteCount").asInt()).isEqualTo(RoomState.MAX_PRE_VOTES_PER_ITEM);
        assertThat(shown.get("items").get(0).get("notes")).hasSize(1);
    }

    /**
     * Pre-votes of a card no other text holds: their values reach nobody before the reveal of the
     * round that adopts them (events, others' and the facilitator's snapshots), but the voter's own
     * view.
     */
    @Test
    void aPreVoteEventNamesTheVoterAndTheItemAndNeverTheValueNorDoesAnyoneElsesSnapshot() throws Exception {
        Deck deck = new Deck("custom", "Custom", List.of("1", "2", "zq", "?"));
        List<PublishedEvent> events = new ArrayList<>();
        RoomState state = RoomState.create("room-1", "Refinement", deck, new Settings(false), "hash", 20);
        state = run(state, new RoomCommand.Join("fac", "Fran", Role.OBSERVER, "t-fac", "n/1"), null, events);
        state = run(state, new RoomCommand.ClaimFacilitator("fac"), null, events);
        state = run(state, new RoomCommand.Join("ana", "Ana", Role.VOTER, "t-ana", "n/2"), null, events);
        state = run(state, new RoomCommand.Join("bo", "Bo", Role.VOTER, "t-bo", "n/3"), null, events);
        state = run(state, new RoomCommand.UpdateSettings(null, null, false, null, true), "fac", events);
        state = run(state, new RoomCommand.AddItem("Checkout", null, null, null), "fac", events);
        events.clear();
        state = run(state, new RoomCommand.CastPreVote("i1", "zq", List.of(Flag.DEPENDENCY)), "ana", events);
        state = run(state, new RoomCommand.CastPreVote("i1", "1", List.of()), "bo", events);
        state = run(state, new RoomCommand.CastPreVote("i1", null, List.of()), "bo", events);
        state = run(state, new RoomCommand.CastPreVote("i1", "1", List.of()), "bo", events);

        assertThat(mapper.readTree(events.get(0).json())).isEqualTo(mapper.readTree(event("prevote.cast", "e1")
                .put("version", state.version() - 3).put("itemId", "i1").put("participantId", "ana")
                .put("preVoteCount", 1).toString()));
        assertThat(events.get(2).type()).isEqualTo(EventType.PREVOTE_WITHDRAWN);
        for (String viewer : List.of("fac", "bo")) {
            assertThat(withoutDeck(RoomView.of(state, viewer))).as(viewer).doesNotContain("zq")
                    .doesNotContain("dependency");
        }
        assertThat(mapper.writeValueAsString(RoomView.of(state, "ana"))).contains("\"myPreVotes\":{\"i1\":"
                + "{\"value\":\"zq\",\"flags\":[\"dependency\"]}}");
        state = run(state, new RoomCommand.SelectItem("i1"), "fac", events);
        for (String viewer : List.of("fac", "bo")) {
            assertThat(withoutDeck(RoomView.of(state, viewer))).as(viewer).doesNotContain("zq");
        }
        assertThat(events).extracting(PublishedEvent::json).noneMatch(json -> json.contains("zq")
                || json.contains("dependency"));

        state = run(state, new RoomCommand.Reveal(), "fac", events);
        assertThat(events.get(events.size() - 1).json()).contains("\"value\":\"zq\"").contains("dependency");
    }

    @Test
    void aNoteEventCarriesThatNoteOnly() throws Exception {
        BacklogItem item = BacklogItem.create("i1", "Checkout", null, null, null);
        for (int n = 1; n <= BacklogItem.MAX_NOTES; n++) {
            item = item.withNote(new Note(n, null, "Fran", "Earlier note " + n + " " + "x".repeat(1_900)));
        }
        Note last = new Note(BacklogItem.MAX_NOTES, 3, "Fran", "We agreed on 8");

        String json = wire.event(new RoomEvent.NoteAdded("i1", last), roomWith(item), "e1").json();

        assertThat(mapper.readTree(json)).isEqualTo(mapper.readTree(event("note.added", "e1").put("version", 7)
                .put("itemId", "i1").set("note", mapper.valueToTree(RoomView.NoteView.of(last))).toString()));
        assertThat(json).doesNotContain("Earlier note");
    }

    @Test
    void aFacilitatorWhoExpiredLeavesWithWhoFacilitatesNow() throws Exception {
        RoomState before = RoomRulesCompletenessTest.room();
        RoomEvent left = new RoomEvent.ParticipantLeft("fac", RoomEvent.LeaveReason.EXPIRED, null, "ana");

        PublishedEvent published = wire.event(left, RoomRules.apply(before, left), "e1");

        assertThat(mapper.readTree(published.json()).get("facilitatorId").asText()).isEqualTo("ana");
        assertThat(mapper.readTree(published.json()).get("reason").asText()).isEqualTo("expired");
        assertThat(RoomRules.apply(before, left).facilitatorId()).isEqualTo("ana");
    }

    /** The snapshot but its deck, whose cards name every value. */
    private String withoutDeck(RoomView view) {
        ObjectNode json = mapper.valueToTree(view);
        json.remove("deck");
        return json.toString();
    }

    private RoomState run(RoomState state, RoomCommand command, String by, List<PublishedEvent> events) {
        Decision decision = RoomRules.decide(state, command, by == null ? Actor.SYSTEM : Actor.participant(by));
        assertThat(decision).as(command.toString()).isInstanceOf(Decision.Accepted.class);
        RoomEvent event = ((Decision.Accepted) decision).event();
        RoomState next = RoomRules.apply(state, event);
        events.add(wire.event(event, next, "e1"));
        return next;
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
