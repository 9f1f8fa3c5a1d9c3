package dev.readyroom.live;

import dev.readyroom.domain.Actor;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.live.Verdict.Change;
import dev.readyroom.live.Verdict.Refused;
import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * Runs a command on a store across the network (Redis): in its room's lane, so that this node's
 * commands of one room never conflict with each other, decided and committed with the version it
 * was decided on. On a conflict (another node committed first) it decides again on the fresh
 * state; after {@code commitTimeout} it gives up with {@link LiveStoreUnavailableException}.
 */
final class LaneRunner implements CommandRunner {
    private static final int MAX_ATTEMPTS = 5;

    private final RoomStore store;
    private final WireFormat wire;
    private final RecordOutbox outbox;
    private final Duration commitTimeout;
    private final RoomSequencer lanes = new RoomSequencer();

    LaneRunner(RoomStore store, WireFormat wire, RecordOutbox outbox, Duration commitTimeout) {
        this.store = store;
        this.wire = wire;
        this.outbox = outbox;
        this.commitTimeout = commitTimeout;
    }

    @Override
    public void run(String roomId, RoomCommand command, Actor actor, String opId, CommandReply reply) {
        lanes.submit(roomId, () -> decideAndCommit(roomId, command, actor, opId)
                        .ifNoItem().after(commitTimeout)
                        .failWith(() -> new LiveStoreUnavailableException("The live store did not answer in time",
                                null)))
                .subscribe().with(reply::outcome, failure -> reply.failed(failure instanceof
                        LiveStoreUnavailableException unavailable ? unavailable
                        : new LiveStoreUnavailableException("The live store failed", failure)));
    }

    private Uni<CommandOutcome> decideAndCommit(String roomId, RoomCommand command, Actor actor, String opId) {
        String opKey = Verdict.opKey(actor, opId);
        return opKey == null ? decideOwnOnCopy(roomId, command, actor) : decideOnCopy(roomId, command, actor, opId, opKey);
    }

    /**
     * A command without an id (the service's own): decided first on this node's copy, as a
     * client's is; when the copy refuses it (it may be behind), on the room as the store has it.
     */
    private Uni<CommandOutcome> decideOwnOnCopy(String roomId, RoomCommand command, Actor actor) {
        StoredRoom copy = store.cached(roomId);
        if (copy != null && Verdict.of(copy, command, actor, null, wire) instanceof Change change) {
            return commit(copy, change, roomId, command, actor, null, null, 1);
        }
        return attempt(roomId, command, actor, 1);
    }

    /** A command without an id, decided on the room as the store has it. */
    private Uni<CommandOutcome> attempt(String roomId, RoomCommand command, Actor actor, int attempt) {
        return store.load(roomId).flatMap(room -> {
            Verdict verdict = Verdict.of(room, command, actor, null, wire);
            if (verdict instanceof Refused refused) {
                return Uni.createFrom().item(refused.outcome());
            }
            Change change = (Change) verdict;
            return store.commit(room.state().version(), change.next(), change.published(), null, null)
                    .flatMap(committed -> {
                        if (committed) {
                            outbox.append(change.published());
                            return Uni.createFrom().item(change.committed(room));
                        }
                        return attempt >= MAX_ATTEMPTS ? Uni.createFrom().failure(Verdict.tooManyChanges())
                                : attempt(roomId, command, actor, attempt + 1);
                    });
        });
    }

    /**
     * A client's command, decided first on this node's copy of the room when the store keeps one:
     * if that copy is current, the command costs one round trip to the store instead of two (read,
     * then commit). A copy that is behind makes the commit answer with the room as it is, and the
     * command is decided again on that.
     */
    private Uni<CommandOutcome> decideOnCopy(String roomId, RoomCommand command, Actor actor, String opId,
            String opKey) {
        StoredRoom copy = store.cached(roomId);
        if (copy != null) {
            Verdict onCopy = Verdict.of(copy, command, actor, opId, wire);
            if (onCopy instanceof Change change) {
                return commit(copy, change, roomId, command, actor, opId, opKey, 1);
            }
            // Refused on a copy that may be behind: kept for retries only if the room is still as the copy has it.
            CommandOutcome refusal = ((Refused) onCopy).outcome();
            return store.rememberUnlessChanged(copy, opKey, refusal.reply()).flatMap(result -> result.committed()
                    ? Uni.createFrom().item(refusal)
                    : answerOrDecide(result.found(), roomId, command, actor, opId, opKey, 2));
        }
        // No copy: ask the store.
        return store.replyOrRoom(roomId, opKey)
                .flatMap(found -> answerOrDecide(found, roomId, command, actor, opId, opKey, 1));
    }

    private Uni<CommandOutcome> answerOrDecide(RoomStore.ReplyOrRoom found, String roomId, RoomCommand command,
            Actor actor, String opId, String opKey, int attempt) {
        if (found.reply() != null) {
            return Uni.createFrom().item(new CommandOutcome.Repeated(found.reply()));
        }
        StoredRoom room = found.room();
        Verdict verdict = Verdict.of(room, command, actor, opId, wire);
        if (verdict instanceof Refused refused) {
            return Verdict.remembered(opKey, room)
                    ? store.rememberReply(roomId, opKey, refused.outcome().reply()).replaceWith(refused.outcome())
                    : Uni.createFrom().item(refused.outcome());
        }
        return commit(room, (Change) verdict, roomId, command, actor, opId, opKey, attempt);
    }

    private Uni<CommandOutcome> commit(StoredRoom room, Change change, String roomId, RoomCommand command,
            Actor actor, String opId, String opKey, int attempt) {
        return store.commitUnlessAnswered(room.state().version(), change.next(), change.published(), opKey,
                change.reply()).flatMap(result -> {
                    if (result.committed()) {
                        outbox.append(change.published());
                        return Uni.createFrom().<CommandOutcome>item(change.committed(room));
                    }
                    if (attempt >= MAX_ATTEMPTS) {
                        return Uni.createFrom().failure(Verdict.tooManyChanges());
                    }
                    return answerOrDecide(result.found(), roomId, command, actor, opId, opKey, attempt + 1);
                });
    }
}
