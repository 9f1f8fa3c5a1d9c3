package dev.readyroom.live.memory;

import dev.readyroom.domain.BacklogItem;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Round;

/**
 * About how many bytes of heap a room's state holds, erring high: what the node's budget of live
 * bytes counts. Not an exact measure (objects are shared between versions, strings may be Latin-1);
 * {@code RoomFootprintTest} checks it against the heap a real room takes.
 */
final class RoomFootprint {
    static final long PER_ROOM = 2_048;
    static final long PER_PARTICIPANT = 400;
    static final long PER_KEPT_OUT = 160;
    static final long PER_ITEM = 640;
    static final long PER_ROUND = 400;
    static final long PER_VOTE = 240;
    /** A UTF-16 code unit, in case the text is not Latin-1. */
    static final long PER_CHARACTER = 2;

    private RoomFootprint() {
    }

    static long of(RoomState state) {
        long bytes = PER_ROOM + PER_CHARACTER * state.name().length()
                + PER_PARTICIPANT * state.participants().size() + PER_KEPT_OUT * state.keptOut().size();
        for (BacklogItem item : state.items()) {
            // Notes are in the text; pre-votes are hidden votes kept on the item until its round.
            bytes += PER_ITEM + PER_CHARACTER * item.textLength() + PER_VOTE * item.preVotes().size();
            for (Round round : item.rounds()) {
                bytes += of(round);
            }
        }
        for (Round round : state.quickRounds()) {
            bytes += of(round);
        }
        if (state.round() != null) {
            bytes += of(state.round());
        }
        return bytes;
    }

    private static long of(Round round) {
        int votes = round.revealed() ? round.revealedVotes().size() : round.votes().size();
        return PER_ROUND + PER_VOTE * votes;
    }
}
