package dev.readyroom.record;

import dev.readyroom.record.RoomHistory.RoundHistory;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads a room's history from the record. Call through {@link SafeContext} off REST paths. */
@ApplicationScoped
public class RoomHistoryRepository {

    /** The room's history, or null if the record does not know the room. Removed items are left out. */
    @WithSession
    public Uni<RoomHistory> find(String roomId) {
        return RecordedRoom.<RecordedRoom>findById(roomId).flatMap(room -> {
            if (room == null) {
                return Uni.createFrom().nullItem();
            }
            return RecordedItem.<RecordedItem>list("roomId = ?1 and removed = false order by position", roomId)
                    .flatMap(items -> RecordedRound.<RecordedRound>list("roomId = ?1 order by number", roomId)
                            .flatMap(rounds -> RecordedVote.<RecordedVote>list(
                                    "roomId = ?1 order by roundId, position", roomId)
                                    .flatMap(votes -> RecordedEstimate.<RecordedEstimate>list(
                                            "roomId = ?1 order by version", roomId)
                                            .flatMap(estimates -> RecordedNote.<RecordedNote>list(
                                                    "roomId = ?1 order by itemId, number", roomId)
                                                    .map(notes -> new RoomHistory(room, items,
                                                            withVotes(rounds, votes), estimates, notes))))));
        });
    }

    private static List<RoundHistory> withVotes(List<RecordedRound> rounds, List<RecordedVote> votes) {
        Map<Long, List<RecordedVote>> byRound = votes.stream().collect(Collectors.groupingBy(v -> v.roundId));
        return rounds.stream().map(r -> new RoundHistory(r, byRound.getOrDefault(r.id, List.of()))).toList();
    }
}
