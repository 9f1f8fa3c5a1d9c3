package dev.readyroom.live;

import dev.readyroom.domain.Actor;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.live.Verdict.Change;
import dev.readyroom.live.Verdict.Refused;

/**
 * Runs a command on a store in this JVM's memory, on the caller's thread, with no asynchronous
 * step, lane or timer in between: the hot path of standalone mode, where Mutiny operators, their
 * context propagation and timeout timers cost more than the command itself.
 *
 * <p>Commands of one room are decided and committed one at a time under a lock: the event loops
 * of a node take turns on a room for the few microseconds a command takes, instead of racing on
 * the store's compare-and-set, which let a room of 100 voting in the same second run out of
 * attempts. The lock is striped by room, so rooms rarely wait for each other.
 */
final class ImmediateRunner implements CommandRunner {
    private static final int MAX_ATTEMPTS = 5;
    private static final int LOCK_STRIPES = 256;

    private final ImmediateRoomStore store;
    private final WireFormat wire;
    private final RecordOutbox outbox;
    private final Object[] locks = new Object[LOCK_STRIPES];

    ImmediateRunner(ImmediateRoomStore store, WireFormat wire, RecordOutbox outbox) {
        this.store = store;
        this.wire = wire;
        this.outbox = outbox;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    @Override
    public void run(String roomId, RoomCommand command, Actor actor, String opId, CommandReply reply) {
        CommandOutcome outcome;
        try {
            synchronized (locks[Math.floorMod(roomId.hashCode(), LOCK_STRIPES)]) {
                outcome = decideAndCommit(roomId, command, actor, opId);
            }
        } catch (LiveStoreUnavailableException e) {
            reply.failed(e);
            return;
        } catch (RuntimeException e) {
            reply.failed(new LiveStoreUnavailableException("The live store failed", e));
            return;
        }
        reply.outcome(outcome);
    }

    private CommandOutcome decideAndCommit(String roomId, RoomCommand command, Actor actor, String opId) {
        String opKey = Verdict.opKey(actor, opId);
        for (int attempt = 1;; attempt++) {
            StoredRoom room;
            if (opKey == null) {
                room = store.loadNow(roomId);
            } else {
                RoomStore.ReplyOrRoom found = store.replyOrRoomNow(roomId, opKey);
                if (found.reply() != null) {
                    return new CommandOutcome.Repeated(found.reply());
                }
                room = found.room();
            }
            Verdict verdict = Verdict.of(room, command, actor, opId, wire);
            if (verdict instanceof Refused refused) {
                if (Verdict.remembered(opKey, room)) {
                    store.rememberReplyNow(roomId, opKey, refused.outcome().reply());
                }
                return refused.outcome();
            }
            Change change = (Change) verdict;
            if (store.commitNow(room.state().version(), change.next(), change.published(), opKey, change.reply())) {
                outbox.append(change.published());
                return change.committed(room);
            }
            // Only a change that bypassed this runner (a room re-created under it) can get here.
            if (attempt >= MAX_ATTEMPTS) {
                throw Verdict.tooManyChanges();
            }
        }
    }
}
