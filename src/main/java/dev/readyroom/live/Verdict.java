package dev.readyroom.live;

import dev.readyroom.domain.Actor;
import dev.readyroom.domain.Decision;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomEvent.PreVoteCast;
import dev.readyroom.domain.RoomEvent.VoteCast;
import dev.readyroom.domain.RoomEvent;
import dev.readyroom.domain.RoomRules;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.RoomView.VoteView;

/** What the rules make of a command on a room as some copy has it: a refusal, or a change to commit. */
sealed interface Verdict {

    record Refused(CommandOutcome.Rejected outcome) implements Verdict {
    }

    record Change(RoomEvent event, RoomState next, PublishedEvent published, String reply) implements Verdict {
        CommandOutcome committed(StoredRoom before) {
            return new CommandOutcome.Committed(new StoredRoom(next, before.epoch()), event, published, reply);
        }
    }

    /** {@code room} null means the room is unknown. {@code opId} null: a command of the service's own. */
    static Verdict of(StoredRoom room, RoomCommand command, Actor actor, String opId, WireFormat wire) {
        if (room == null) {
            return refused("room_not_found", "This room does not exist.", opId, wire);
        }
        Decision decision = RoomRules.decide(room.state(), command, actor);
        if (decision instanceof Decision.Rejected rejection) {
            return refused(rejection.code(), rejection.message(), opId, wire);
        }
        RoomEvent event = ((Decision.Accepted) decision).event();
        RoomState next = RoomRules.apply(room.state(), event);
        PublishedEvent published = wire.event(event, next, room.epoch());
        String reply = opId == null ? null : wire.ack(opId, next.version(), ownVote(event));
        return new Change(event, next, published, reply);
    }

    private static Refused refused(String code, String message, String opId, WireFormat wire) {
        return new Refused(new CommandOutcome.Rejected(code, message, wire.error(opId, code, message)));
    }

    private static VoteView ownVote(RoomEvent event) {
        if (event instanceof PreVoteCast cast) {
            return VoteView.of(cast.vote());
        }
        return event instanceof VoteCast cast ? VoteView.of(cast.vote()) : null;
    }

    /** Where a command's reply is kept for its retries: its sender and its id; null without an id. */
    static String opKey(Actor actor, String opId) {
        return opId == null ? null : actor.participantId() + ":" + opId;
    }

    /** A refusal is kept for the command's retry, unless the command has no id or the room is unknown. */
    static boolean remembered(String opKey, StoredRoom room) {
        return opKey != null && room != null;
    }

    static LiveStoreUnavailableException tooManyChanges() {
        return new LiveStoreUnavailableException("Too many concurrent changes to this room", null);
    }
}
