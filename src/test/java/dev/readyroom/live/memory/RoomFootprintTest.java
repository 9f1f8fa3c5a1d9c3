package dev.readyroom.live.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.domain.BacklogItem;
import dev.readyroom.domain.Decks;
import dev.readyroom.domain.Flag;
import dev.readyroom.domain.Note;
import dev.readyroom.domain.Participant;
import dev.readyroom.domain.PreVote;
import dev.readyroom.domain.RevealedVote;
import dev.readyroom.domain.Role;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Round;
import dev.readyroom.domain.Settings;
import dev.readyroom.domain.Statistics;
import dev.readyroom.domain.Vote;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The footprint the node's byte budget counts errs high: rooms built as a busy node holds them
 * (every string its own, as parsed from the wire) take less heap than their footprints say.
 */
class RoomFootprintTest {
    private static final int ROOMS = 150;

    @Test
    void roomsTakeLessHeapThanTheirFootprintsSay() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        List<RoomState> held = new ArrayList<>();
        long counted = 0;
        for (int r = 0; r < ROOMS; r++) {
            RoomState room = busyRoom(r);
            held.add(room);
            counted += RoomFootprint.of(room);
        }
        long taken = usedAfterGc(memory) - before;

        assertThat(held).hasSize(ROOMS);
        assertThat(taken).as("heap taken by %d rooms, %d bytes counted", ROOMS, counted).isPositive();
        assertThat(counted).isGreaterThanOrEqualTo(taken);
        // High, but not so high that a node's budget would turn rooms away for nothing.
        assertThat(counted).isLessThan(taken * 4);
    }

    /**
     * 12 people, 20 items of 600 characters, each with 4 revealed rounds of 10 votes and 2 notes; 10
     * pre-votes on each of 5 more items (holding their voters' own strings, as the rules make them).
     */
    private static RoomState busyRoom(int r) {
        Map<String, Participant> people = new LinkedHashMap<>();
        for (int p = 0; p < 12; p++) {
            String id = fresh("p" + r + "-" + p);
            people.put(id, new Participant(id, fresh("Person " + p), Role.VOTER, true, fresh("hash-" + r + "-" + p),
                    fresh("node/" + r + "/" + p)));
        }
        List<String> ids = new ArrayList<>(people.keySet());
        List<BacklogItem> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String itemId = fresh("item-" + r + "-" + i);
            List<Round> rounds = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                List<RevealedVote> votes = new ArrayList<>();
                for (int v = 0; v < 10; v++) {
                    votes.add(new RevealedVote(fresh(ids.get(v)), fresh("Person " + v), fresh(v % 2 == 0 ? "5" : "8"),
                            v == 0 ? List.of(Flag.values()[0]) : List.of()));
                }
                rounds.add(new Round(i * 4 + n + 1, itemId, Map.of(), votes,
                        Statistics.compute(Decks.FIBONACCI, votes)));
            }
            items.add(new BacklogItem(itemId, fresh("Title " + i), fresh("d".repeat(300)), fresh("a".repeat(200)),
                    null, fresh("v".repeat(100)), null, null, false, fresh("8"), rounds, List.of(), List.of())
                    .withNote(new Note(1, i * 4 + 4, fresh("Person 0"), fresh("n".repeat(120))))
                    .withNote(new Note(2, i * 4 + 4, fresh("Person 1"), fresh("m".repeat(80)))));
        }
        for (int i = 20; i < 25; i++) {
            List<PreVote> preVotes = new ArrayList<>();
            for (int v = 0; v < 10; v++) {
                Participant voter = people.get(ids.get(v));
                preVotes.add(new PreVote(voter.id(), voter.name(), voter.tokenHash(),
                        new Vote(Decks.FIBONACCI.card(v % 2 == 0 ? "5" : "8"),
                                v == 0 ? List.of(Flag.RISK) : List.of())));
            }
            items.add(BacklogItem.create(fresh("item-" + r + "-" + i), fresh("Pending " + i), fresh("d".repeat(300)),
                    fresh("a".repeat(200)), null).withPreVotes(preVotes));
        }
        return new RoomState(fresh("room-" + r), fresh("Refinement " + r), Decks.FIBONACCI, new Settings(false),
                fresh("key-hash"), ids.get(0), people, items, null, List.of(), 80, 20, 100, 500, null, List.of(),
                false);
    }

    /** A string of its own, as JSON parsing makes them. */
    private static String fresh(String text) {
        return new String(text.toCharArray());
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
