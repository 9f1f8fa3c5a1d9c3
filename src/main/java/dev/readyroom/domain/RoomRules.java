package dev.readyroom.domain;

import static dev.readyroom.domain.Decision.accept;
import static dev.readyroom.domain.Decision.reject;

import dev.readyroom.domain.RoomCommand.AddItem;
import dev.readyroom.domain.RoomCommand.AddNote;
import dev.readyroom.domain.RoomCommand.CastPreVote;
import dev.readyroom.domain.RoomCommand.ClaimWithKey;
import dev.readyroom.domain.RoomCommand.NameScribe;
import dev.readyroom.domain.RoomCommand.StartTimebox;
import dev.readyroom.domain.RoomCommand.StopTimebox;
import dev.readyroom.domain.RoomCommand.CastVote;
import dev.readyroom.domain.RoomCommand.ClaimFacilitator;
import dev.readyroom.domain.RoomCommand.DeleteRoom;
import dev.readyroom.domain.RoomCommand.Disconnect;
import dev.readyroom.domain.RoomCommand.Expire;
import dev.readyroom.domain.RoomCommand.ImportItem;
import dev.readyroom.domain.RoomCommand.Join;
import dev.readyroom.domain.RoomCommand.Leave;
import dev.readyroom.domain.RoomCommand.MoveItem;
import dev.readyroom.domain.RoomCommand.NewItem;
import dev.readyroom.domain.RoomCommand.Readmit;
import dev.readyroom.domain.RoomCommand.Reconnect;
import dev.readyroom.domain.RoomCommand.RemoveItem;
import dev.readyroom.domain.RoomCommand.RemoveParticipant;
import dev.readyroom.domain.RoomCommand.ResolveFlag;
import dev.readyroom.domain.RoomCommand.Reveal;
import dev.readyroom.domain.RoomCommand.Revote;
import dev.readyroom.domain.RoomCommand.SelectItem;
import dev.readyroom.domain.RoomCommand.SettleEstimate;
import dev.readyroom.domain.RoomCommand.SplitItem;
import dev.readyroom.domain.RoomCommand.StartQuickRound;
import dev.readyroom.domain.RoomCommand.TransferFacilitator;
import dev.readyroom.domain.RoomCommand.UpdateItem;
import dev.readyroom.domain.RoomCommand.UpdateSelf;
import dev.readyroom.domain.RoomCommand.UpdateSettings;
import dev.readyroom.domain.RoomEvent.EstimateSettled;
import dev.readyroom.domain.RoomEvent.FacilitatorChanged;
import dev.readyroom.domain.RoomEvent.FacilitatorReason;
import dev.readyroom.domain.RoomEvent.NoteAdded;
import dev.readyroom.domain.RoomEvent.PreVoteCast;
import dev.readyroom.domain.RoomEvent.PreVoteWithdrawn;
import dev.readyroom.domain.RoomEvent.ScribeChanged;
import dev.readyroom.domain.RoomEvent.TimeboxStarted;
import dev.readyroom.domain.RoomEvent.TimeboxStopped;
import dev.readyroom.domain.RoomEvent.FlagResolved;
import dev.readyroom.domain.RoomEvent.ItemAdded;
import dev.readyroom.domain.RoomEvent.ItemMoved;
import dev.readyroom.domain.RoomEvent.ItemRemoved;
import dev.readyroom.domain.RoomEvent.ItemSplit;
import dev.readyroom.domain.RoomEvent.ItemUpdated;
import dev.readyroom.domain.RoomEvent.LeaveReason;
import dev.readyroom.domain.RoomEvent.ParticipantJoined;
import dev.readyroom.domain.RoomEvent.ParticipantLeft;
import dev.readyroom.domain.RoomEvent.ParticipantReadmitted;
import dev.readyroom.domain.RoomEvent.ParticipantUpdated;
import dev.readyroom.domain.RoomEvent.PresenceChanged;
import dev.readyroom.domain.RoomEvent.RoomDeleted;
import dev.readyroom.domain.RoomEvent.RoundRevealed;
import dev.readyroom.domain.RoomEvent.RoundStarted;
import dev.readyroom.domain.RoomEvent.SettingsChanged;
import dev.readyroom.domain.RoomEvent.VoteCast;
import dev.readyroom.domain.RoomEvent.VoteWithdrawn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of a refinement room: {@code decide} checks a command against the state and the actor
 * and yields one event or a rejection; {@code apply} folds an event into the state. Both are pure.
 */
public final class RoomRules {

    private RoomRules() {
    }

    public static Decision decide(RoomState state, RoomCommand command, Actor actor) {
        try {
            return decideOrThrow(state, command, actor);
        } catch (InvalidInputException e) {
            return reject(e.code(), e.getMessage());
        }
    }

    private static Decision decideOrThrow(RoomState state, RoomCommand command, Actor actor) {
        if (state.deleted()) {
            return reject("room_deleted", "This room was deleted.");
        }
        if (command instanceof DeleteRoom && actor.isSystem()) {
            // Over REST, where the facilitator key was checked.
            return accept(new RoomDeleted());
        }
        if (command instanceof Join || command instanceof Reconnect || command instanceof ClaimFacilitator
                || command instanceof Disconnect || command instanceof Expire) {
            if (!actor.isSystem()) {
                return reject("not_allowed", "Only the service gives this command.");
            }
            return decideConnection(state, command);
        }
        if (command instanceof Reveal && actor.isSystem()) {
            return reveal(state);
        }
        if (command instanceof ImportItem item) {
            // Imported over REST, where the facilitator key was checked; never from a participant.
            if (!actor.isSystem()) {
                return reject("not_allowed", "Only the service gives this command.");
            }
            return addItem(state, new AddItem(item.title(), item.description(), item.acceptanceCriteria(),
                    item.reference()));
        }
        Optional<Participant> maybeParticipant = state.participant(actor.participantId());
        if (maybeParticipant.isEmpty()) {
            return reject("not_joined", "Join the room first.");
        }
        Participant me = maybeParticipant.get();
        if (command instanceof CastVote vote) {
            return castVote(state, me, vote);
        }
        if (command instanceof CastPreVote preVote) {
            return castPreVote(state, me, preVote);
        }
        if (command instanceof ClaimWithKey claim) {
            return claimWithKey(state, me, claim);
        }
        if (command instanceof AddNote note) {
            return addNote(state, me, note);
        }
        if (command instanceof Leave) {
            return accept(new ParticipantLeft(me.id(), LeaveReason.LEFT));
        }
        if (command instanceof UpdateSelf update) {
            return updateSelf(me, update);
        }
        if (!state.isFacilitator(me.id())) {
            return reject("not_facilitator", "Only the facilitator can " + describe(command) + ".");
        }
        return decideFacilitator(state, command, me);
    }

    private static Decision decideConnection(RoomState state, RoomCommand command) {
        if (command instanceof Join join) {
            if (state.participants().containsKey(join.participantId())) {
                return reject("already_joined", "This participant is already in the room.");
            }
            if (join.presentedTokenHash() != null
                    && state.keptOut(join.presentedTokenHash(), join.atMillis()).isPresent()) {
                return reject("removed", "The facilitator removed you from this room; ask them to let you back in.");
            }
            if (state.participants().size() >= state.maxParticipants()) {
                return reject("room_full", "The room is full (" + state.maxParticipants() + " people).");
            }
            if (join.role() == null) {
                return reject("invalid_role", "The role is voter or observer.");
            }
            String name = Text.requireName(join.name(), Text.MAX_PARTICIPANT_NAME, "invalid_name", "A name");
            return accept(new ParticipantJoined(new Participant(join.participantId(), name, join.role(), true,
                    join.tokenHash(), join.connection()), preVoterComingBack(state, join.presentedTokenHash())));
        }
        if (command instanceof Reconnect reconnect) {
            return state.participant(reconnect.participantId())
                    .<Decision>map(p -> accept(new PresenceChanged(p.id(), reconnect.connection())))
                    .orElseGet(() -> reject("unknown_participant", "No such participant in this room."));
        }
        if (command instanceof ClaimFacilitator claim) {
            if (state.participant(claim.participantId()).isEmpty()) {
                return reject("unknown_participant", "No such participant in this room.");
            }
            if (state.isFacilitator(claim.participantId())) {
                return reject("already_facilitator", "This participant is already the facilitator.");
            }
            return accept(new FacilitatorChanged(claim.participantId(), FacilitatorReason.CLAIM));
        }
        if (command instanceof Disconnect disconnect) {
            Participant p = state.participant(disconnect.participantId()).orElse(null);
            if (p == null || !p.online()) {
                return reject("not_online", "This participant is not online.");
            }
            if (!p.heldOnlineBy(disconnect.connection())) {
                return reject("connected_elsewhere", "This participant is online on another connection.");
            }
            return accept(new PresenceChanged(p.id(), null));
        }
        if (command instanceof Expire expire) {
            return state.participant(expire.participantId()).filter(p -> !p.online())
                    .<Decision>map(p -> accept(new ParticipantLeft(p.id(), LeaveReason.EXPIRED, null,
                            state.isFacilitator(p.id()) ? longestPresentBut(state, p.id()) : null)))
                    .orElseGet(() -> reject("not_away", "This participant is not away."));
        }
        throw noRuleDecides(command);
    }

    private static Decision castVote(RoomState state, Participant me, CastVote vote) {
        if (!me.votes()) {
            return reject("not_voter", "Observers do not vote; switch your role to voter first.");
        }
        Decision phase = requireOpenRound(state);
        if (phase != null) {
            return phase;
        }
        if (vote.value() == null) {
            if (!vote.flags().isEmpty()) {
                return reject("invalid_value", "Flags need a card; vote ? to say only what is unknown.");
            }
            if (!state.round().votes().containsKey(me.id())) {
                return reject("invalid_value", "You have no vote to withdraw.");
            }
            return accept(new VoteWithdrawn(me.id()));
        }
        return accept(new VoteCast(me.id(), checkedVote(state, vote.value(), vote.flags())));
    }

    /**
     * Who takes over from a facilitator whose grace period passed: the longest-present participant
     * online, else the longest-present away; null if nobody else is in the room.
     */
    private static String longestPresentBut(RoomState state, String leaving) {
        String away = null;
        for (Participant p : state.participants().values()) {
            if (p.id().equals(leaving)) {
                continue;
            }
            if (p.online()) {
                return p.id();
            }
            if (away == null) {
                away = p.id();
            }
        }
        return away;
    }

    /**
     * The id of someone no longer in the room whose pre-votes were cast with this token: a newcomer
     * who presents it takes them over. Null if none.
     */
    private static String preVoterComingBack(RoomState state, String presentedTokenHash) {
        if (presentedTokenHash == null) {
            return null;
        }
        for (BacklogItem item : state.items()) {
            for (PreVote preVote : item.preVotes()) {
                if (presentedTokenHash.equals(preVote.tokenHash())
                        && !state.participants().containsKey(preVote.participantId())) {
                    return preVote.participantId();
                }
            }
        }
        return null;
    }

    private static Decision castPreVote(RoomState state, Participant me, CastPreVote preVote) {
        if (!state.settings().preVoting()) {
            return reject("prevoting_off", "Pre-voting is off in this room; the facilitator can turn it on.");
        }
        if (!me.votes()) {
            return reject("not_voter", "Observers do not vote; switch your role to voter first.");
        }
        Optional<BacklogItem> maybeItem = state.item(preVote.itemId());
        if (maybeItem.isEmpty()) {
            return reject("unknown_item", "No such backlog item in this room.");
        }
        BacklogItem item = maybeItem.get();
        if (item.split()) {
            return reject("item_split", "This item was split into smaller ones; refine those instead.");
        }
        if (item.estimate() != null) {
            return reject("item_estimated", "This item's estimate is settled; pre-votes are for pending items.");
        }
        if (state.hasOpenRound() && item.id().equals(state.round().itemId())) {
            return reject("item_in_round", "This item's round is open; vote in the round instead.");
        }
        boolean hasOne = item.preVoteOf(me.id()).isPresent();
        if (preVote.value() == null) {
            if (!preVote.flags().isEmpty()) {
                return reject("invalid_value", "Flags need a card; vote ? to say only what is unknown.");
            }
            if (!hasOne) {
                return reject("invalid_value", "You have no pre-vote on this item to withdraw.");
            }
            return accept(new PreVoteWithdrawn(item.id(), me.id()));
        }
        Vote vote = checkedVote(state, preVote.value(), preVote.flags());
        if (!hasOne && item.preVotes().size() >= RoomState.MAX_PRE_VOTES_PER_ITEM) {
            return reject("too_many_prevotes", "An item holds at most " + RoomState.MAX_PRE_VOTES_PER_ITEM
                    + " pre-votes.");
        }
        return accept(new PreVoteCast(item.id(), me.id(), vote));
    }

    /** A card of the deck with each flag at most once, in the flags' order; else invalid_value. */
    private static Vote checkedVote(RoomState state, String value, List<Flag> flags) {
        if (!state.deck().contains(value)) {
            throw new InvalidInputException("invalid_value", "\"" + Text.echoed(value)
                    + "\" is not a card of this room's deck.");
        }
        if (Set.copyOf(flags).size() != flags.size()) {
            throw new InvalidInputException("invalid_value", "Each flag may be raised once per vote.");
        }
        List<Flag> ordered = flags.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(flags));
        return new Vote(state.deck().card(value), ordered);
    }

    private static Decision claimWithKey(RoomState state, Participant me, ClaimWithKey claim) {
        if (claim.keyHash() == null || state.facilitatorKeyHash() == null
                || !MessageDigest.isEqual(claim.keyHash().getBytes(StandardCharsets.US_ASCII),
                        state.facilitatorKeyHash().getBytes(StandardCharsets.US_ASCII))) {
            return reject("invalid_key", "That facilitator key is not this room's.");
        }
        if (state.isFacilitator(me.id())) {
            return reject("already_facilitator", "You are already the facilitator.");
        }
        return accept(new FacilitatorChanged(me.id(), FacilitatorReason.CLAIM));
    }

    private static Decision addNote(RoomState state, Participant me, AddNote add) {
        if (!state.writesNotes(me.id())) {
            return reject("not_scribe", "Only the facilitator or the scribe they named can write notes.");
        }
        Optional<BacklogItem> maybeItem = state.item(add.itemId());
        if (maybeItem.isEmpty()) {
            return reject("unknown_item", "No such backlog item in this room.");
        }
        BacklogItem item = maybeItem.get();
        String text = Text.optionalLongText(add.text(), Text.MAX_ITEM_NOTE, "A note");
        if (text.isEmpty()) {
            return reject("invalid_value", "A note is 1 to " + Text.MAX_ITEM_NOTE + " characters of text.");
        }
        if (item.notes().size() >= BacklogItem.MAX_NOTES) {
            return reject("too_many_notes", "An item holds at most " + BacklogItem.MAX_NOTES + " notes.");
        }
        Integer round = null;
        if (state.round() != null && item.id().equals(state.round().itemId())) {
            round = state.round().number();
        } else if (!item.rounds().isEmpty()) {
            round = item.rounds().get(item.rounds().size() - 1).number();
        }
        Note note = new Note(item.notes().size() + 1, round, me.name(), text);
        Decision full = requireRoomForText(state, note.cost());
        return full != null ? full : accept(new NoteAdded(item.id(), note));
    }

    private static Decision updateSelf(Participant me, UpdateSelf update) {
        Participant changed = me;
        if (update.name() != null) {
            changed = changed.withName(Text.requireName(update.name(), Text.MAX_PARTICIPANT_NAME, "invalid_name",
                    "A name"));
        }
        if (update.role() != null) {
            changed = changed.withRole(update.role());
        }
        return accept(new ParticipantUpdated(changed));
    }

    private static Decision decideFacilitator(RoomState state, RoomCommand command, Participant me) {
        if (command instanceof Reveal) {
            return reveal(state);
        }
        if (command instanceof Revote) {
            return revote(state);
        }
        if (command instanceof StartQuickRound) {
            return accept(new RoundStarted(Round.open(state.lastRoundNumber() + 1, null)));
        }
        if (command instanceof DeleteRoom) {
            return accept(new RoomDeleted());
        }
        if (command instanceof AddItem add) {
            return addItem(state, add);
        }
        if (command instanceof UpdateSettings settings) {
            return updateSettings(state, settings);
        }
        if (command instanceof TransferFacilitator transfer) {
            if (state.participant(transfer.participantId()).isEmpty()) {
                return reject("unknown_participant", "No such participant in this room.");
            }
            if (transfer.participantId().equals(me.id())) {
                return reject("invalid_value", "You are already the facilitator.");
            }
            return accept(new FacilitatorChanged(transfer.participantId(), FacilitatorReason.TRANSFER));
        }
        if (command instanceof RemoveParticipant remove) {
            if (state.participant(remove.participantId()).isEmpty()) {
                return reject("unknown_participant", "No such participant in this room.");
            }
            if (remove.participantId().equals(me.id())) {
                return reject("invalid_value", "To leave the room yourself, use leave.");
            }
            Participant removed = state.participants().get(remove.participantId());
            RoomState.KeptOut keptOut = remove.keptOutUntilMillis() <= 0 ? null : new RoomState.KeptOut(
                    removed.id(), removed.name(), removed.tokenHash(), remove.keptOutUntilMillis());
            return accept(new ParticipantLeft(remove.participantId(), LeaveReason.REMOVED, keptOut));
        }
        if (command instanceof NameScribe scribe) {
            if (scribe.participantId() == null) {
                return state.scribeId() == null ? reject("invalid_value", "Nobody is the scribe.")
                        : accept(new ScribeChanged(null));
            }
            if (state.participant(scribe.participantId()).isEmpty()) {
                return reject("unknown_participant", "No such participant in this room.");
            }
            if (scribe.participantId().equals(state.scribeId())) {
                return reject("invalid_value", "This participant is the scribe already.");
            }
            return accept(new ScribeChanged(scribe.participantId()));
        }
        if (command instanceof StartTimebox start) {
            if (start.minutes() < Timebox.MIN_MINUTES || start.minutes() > Timebox.MAX_MINUTES) {
                return reject("invalid_value", "A timebox is " + Timebox.MIN_MINUTES + " to " + Timebox.MAX_MINUTES
                        + " minutes.");
            }
            return accept(new TimeboxStarted(new Timebox(start.nowMillis(),
                    start.nowMillis() + start.minutes() * 60_000L, start.minutes())));
        }
        if (command instanceof StopTimebox stop) {
            if (state.timebox() == null || !state.timebox().runningAt(stop.nowMillis())) {
                return reject("no_timebox", "No timebox is running.");
            }
            return accept(new TimeboxStopped());
        }
        if (command instanceof Readmit readmit) {
            if (state.keptOut().stream().noneMatch(k -> k.participantId().equals(readmit.participantId()))) {
                return reject("unknown_participant", "Nobody removed from this room has that id.");
            }
            return accept(new ParticipantReadmitted(readmit.participantId()));
        }
        return decideItem(state, command);
    }

    private static Decision addItem(RoomState state, AddItem add) {
        if (state.items().size() >= RoomState.MAX_ITEMS) {
            return reject("too_many_items", "A room holds at most " + RoomState.MAX_ITEMS + " items.");
        }
        BacklogItem added = BacklogItem.create("i" + (state.lastItemNumber() + 1), title(add.title()),
                Text.optionalLongText(add.description(), Text.MAX_LONG_TEXT, "A description"),
                Text.optionalLongText(add.acceptanceCriteria(), Text.MAX_LONG_TEXT, "Acceptance criteria"),
                reference(add.reference()), valueText(add.value()), dependenciesText(add.dependencies()), null);
        Decision full = requireRoomForText(state, added.textLength());
        return full != null ? full : accept(new ItemAdded(added));
    }

    /** Null when the backlog's text may grow by {@code moreCharacters}; else the rejection. */
    private static Decision requireRoomForText(RoomState state, int moreCharacters) {
        if (moreCharacters > 0 && state.backlogText() + moreCharacters > RoomState.MAX_BACKLOG_TEXT) {
            return reject("backlog_full", "A room's backlog holds at most " + RoomState.MAX_BACKLOG_TEXT
                    + " characters of text in all; shorten some descriptions or remove finished items.");
        }
        return null;
    }

    private static Decision requireRoomForARound(RoomState state) {
        if (state.itemRounds() >= RoomState.MAX_ROUNDS_PER_ROOM) {
            return reject("too_many_rounds", "A room keeps at most " + RoomState.MAX_ROUNDS_PER_ROOM
                    + " revealed rounds; carry on in a new room.");
        }
        return null;
    }

    private static Decision decideItem(RoomState state, RoomCommand command) {
        String itemId = itemIdOf(command);
        Optional<BacklogItem> maybeItem = state.item(itemId);
        if (maybeItem.isEmpty()) {
            return reject("unknown_item", "No such backlog item in this room.");
        }
        BacklogItem item = maybeItem.get();
        if (item.split() && (command instanceof SelectItem || command instanceof SettleEstimate
                || command instanceof SplitItem)) {
            return reject("item_split", "This item was split into smaller ones; refine those instead.");
        }
        if (command instanceof SelectItem) {
            Decision full = requireRoomForARound(state);
            return full != null ? full : accept(new RoundStarted(fromPreVotes(state, item)));
        }
        if (command instanceof UpdateItem update) {
            BacklogItem updated = item.withText(
                    update.title() == null ? item.title() : title(update.title()),
                    update.description() == null ? item.description()
                            : Text.optionalLongText(update.description(), Text.MAX_LONG_TEXT, "A description"),
                    update.acceptanceCriteria() == null ? item.acceptanceCriteria()
                            : Text.optionalLongText(update.acceptanceCriteria(), Text.MAX_LONG_TEXT,
                                    "Acceptance criteria"),
                    update.reference() == null ? item.reference() : reference(update.reference()),
                    update.value() == null ? item.value() : valueText(update.value()),
                    update.dependencies() == null ? item.dependencies() : dependenciesText(update.dependencies()));
            Decision full = requireRoomForText(state, updated.textLength() - item.textLength());
            return full != null ? full : accept(new ItemUpdated(updated));
        }
        if (command instanceof RemoveItem) {
            if (state.hasOpenRound() && item.id().equals(state.round().itemId())) {
                return reject("item_in_round", "This item is in the open round; reveal or start another first.");
            }
            return accept(new ItemRemoved(item.id()));
        }
        if (command instanceof SettleEstimate settle) {
            if (settle.value() != null && !state.deck().contains(settle.value())) {
                return reject("invalid_value", "\"" + Text.echoed(settle.value()) + "\" is not a card of this room's deck.");
            }
            return accept(new EstimateSettled(item.id(), settle.value()));
        }
        if (command instanceof ResolveFlag resolve) {
            if (resolve.flag() == null || !item.openFlags().contains(resolve.flag())) {
                return reject("invalid_value", "That unknown is not open on this item.");
            }
            String note = resolve.note() == null || resolve.note().isBlank() ? null
                    : Text.optionalLongText(resolve.note(), Text.MAX_NOTE, "A note");
            Decision full = requireRoomForText(state, note == null ? 0 : note.length());
            return full != null ? full : accept(new FlagResolved(item.id(), resolve.flag(), note));
        }
        if (command instanceof SplitItem split) {
            return split(state, item, split);
        }
        if (command instanceof MoveItem move) {
            if (move.toIndex() < 0 || move.toIndex() >= state.items().size()) {
                return reject("invalid_value", "toIndex is a place in the backlog: 0 to " + (state.items().size() - 1)
                        + ".");
            }
            return accept(new ItemMoved(item.id(), move.toIndex()));
        }
        throw noRuleDecides(command);
    }

    /**
     * A new round on the item that starts from its pre-votes: those of the voters in the room now
     * (online or away), as cast; the others' are dropped with the rest when the round starts.
     */
    private static Round fromPreVotes(RoomState state, BacklogItem item) {
        Round round = Round.open(state.lastRoundNumber() + 1, item.id());
        if (item.preVotes().isEmpty()) {
            return round;
        }
        Map<String, Vote> adopted = new LinkedHashMap<>();
        for (PreVote preVote : item.preVotes()) {
            Participant voter = state.participants().get(preVote.participantId());
            if (voter != null && voter.votes()) {
                adopted.put(voter.id(), preVote.vote());
            }
        }
        return new Round(round.number(), round.itemId(), adopted, null, null);
    }

    private static String itemIdOf(RoomCommand command) {
        if (command instanceof SelectItem c) {
            return c.itemId();
        }
        if (command instanceof UpdateItem c) {
            return c.itemId();
        }
        if (command instanceof RemoveItem c) {
            return c.itemId();
        }
        if (command instanceof SettleEstimate c) {
            return c.itemId();
        }
        if (command instanceof ResolveFlag c) {
            return c.itemId();
        }
        if (command instanceof SplitItem c) {
            return c.itemId();
        }
        if (command instanceof MoveItem c) {
            return c.itemId();
        }
        throw noRuleDecides(command);
    }

    private static Decision updateSettings(RoomState state, UpdateSettings update) {
        if (update.changesNothing()) {
            return reject("invalid_value",
                    "Say which settings to change: autoReveal, readiness, velocity or preVoting.");
        }
        Settings now = state.settings();
        Settings.Checklist checklist = now.readiness();
        RoomCommand.ChecklistChange change = update.readiness();
        if (change != null) {
            String maxEstimate = change.maxEstimate() == null ? checklist.maxEstimate() : change.maxEstimate();
            if (change.maxEstimate() != null && !state.deck().isEstimate(change.maxEstimate())) {
                return reject("invalid_value", "maxEstimate is an estimate card of this room's deck; \""
                        + Text.echoed(change.maxEstimate()) + "\" is not.");
            }
            checklist = new Settings.Checklist(or(change.definition(), checklist.definition()),
                    or(change.value(), checklist.value()), or(change.size(), checklist.size()),
                    or(change.risks(), checklist.risks()), maxEstimate);
        }
        Double velocity = now.velocity();
        if (update.velocityGiven()) {
            velocity = update.velocity();
            if (velocity != null && !(velocity > 0 && velocity <= Settings.MAX_VELOCITY)) {
                return reject("invalid_value", "velocity is points per sprint: a number above 0 and at most "
                        + (int) Settings.MAX_VELOCITY + ", or null.");
            }
        }
        return accept(new SettingsChanged(new Settings(or(update.autoReveal(), now.autoReveal()), checklist,
                velocity, or(update.preVoting(), now.preVoting()))));
    }

    private static boolean or(Boolean given, boolean current) {
        return given != null ? given : current;
    }

    private static Decision split(RoomState state, BacklogItem parent, SplitItem split) {
        if (state.hasOpenRound() && parent.id().equals(state.round().itemId())) {
            return reject("item_in_round", "This item is in the open round; reveal or start another first.");
        }
        int count = split.children().size();
        if (count < 2 || count > RoomState.MAX_SPLIT_CHILDREN) {
            return reject("invalid_value", "Split an item into 2 to " + RoomState.MAX_SPLIT_CHILDREN + " items.");
        }
        if (state.items().size() + count > RoomState.MAX_ITEMS) {
            return reject("too_many_items", "A room holds at most " + RoomState.MAX_ITEMS + " items.");
        }
        List<BacklogItem> children = new ArrayList<>(count);
        int number = state.lastItemNumber();
        int text = 0;
        for (NewItem child : split.children()) {
            if (child == null) {
                return reject("invalid_value", "Each part of a split is an item with a title.");
            }
            BacklogItem made = BacklogItem.create("i" + (++number), title(child.title()),
                    Text.optionalLongText(child.description(), Text.MAX_LONG_TEXT, "A description"),
                    Text.optionalLongText(child.acceptanceCriteria(), Text.MAX_LONG_TEXT, "Acceptance criteria"),
                    null, valueText(child.value()), "", parent.id());
            text += made.textLength();
            children.add(made);
        }
        Decision full = requireRoomForText(state, text);
        return full != null ? full : accept(new ItemSplit(parent.id(), children));
    }

    private static String valueText(String raw) {
        return Text.optionalLongText(raw, Text.MAX_VALUE_TEXT, "A value");
    }

    private static String dependenciesText(String raw) {
        return Text.optionalLongText(raw, Text.MAX_VALUE_TEXT, "Dependencies");
    }

    /** A command type that reached the end of a chain: a programming error, not a client's. */
    private static IllegalArgumentException noRuleDecides(RoomCommand command) {
        return new IllegalArgumentException("No rule decides command " + command.getClass().getSimpleName());
    }

    private static Decision reveal(RoomState state) {
        Decision phase = requireOpenRound(state);
        if (phase != null) {
            return phase;
        }
        Round round = state.round();
        List<RevealedVote> shown = new ArrayList<>();
        round.votes().forEach((participantId, vote) -> shown.add(new RevealedVote(participantId,
                state.participants().get(participantId).name(), vote.value(), vote.flags())));
        return accept(new RoundRevealed(round.reveal(shown, Statistics.compute(state.deck(), shown))));
    }

    private static Decision revote(RoomState state) {
        Round round = state.round();
        if (round == null) {
            return reject("no_round", "There is no round to vote again on.");
        }
        if (round.itemId() != null) {
            Optional<BacklogItem> item = state.item(round.itemId());
            if (item.isEmpty()) {
                return reject("unknown_item", "The item of this round was removed.");
            }
            if (item.get().split()) {
                return reject("item_split", "This item was split into smaller ones; refine those instead.");
            }
            if (item.get().rounds().size() >= RoomState.MAX_ROUNDS_PER_ITEM) {
                return reject("too_many_rounds", "An item has at most " + RoomState.MAX_ROUNDS_PER_ITEM + " rounds.");
            }
            Decision full = requireRoomForARound(state);
            if (full != null) {
                return full;
            }
            // Pre-votes cast since the last reveal count in the new round, as with item.select.
            return accept(new RoundStarted(fromPreVotes(state, item.get())));
        }
        return accept(new RoundStarted(Round.open(state.lastRoundNumber() + 1, null)));
    }

    private static Decision requireOpenRound(RoomState state) {
        if (state.round() == null) {
            return reject("no_round", "No round is open.");
        }
        if (state.round().revealed()) {
            return reject("round_revealed", "This round is already revealed.");
        }
        return null;
    }

    private static String title(String raw) {
        return Text.requireName(raw, Text.MAX_TITLE, "invalid_value", "A title");
    }

    private static String reference(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return Text.requireName(raw, Text.MAX_REFERENCE, "invalid_value", "A reference");
    }

    private static String describe(RoomCommand command) {
        return switch (command.type()) {
            case "reveal" -> "reveal the votes";
            case "revote" -> "start a re-vote";
            case "round.quick" -> "start a quick round";
            case "item.estimate" -> "settle an estimate";
            case "item.split" -> "split an item";
            case "item.move" -> "reorder the backlog";
            case "facilitator.transfer" -> "hand over the facilitator role";
            case "participant.remove" -> "remove a participant";
            case "participant.readmit" -> "let a removed participant back in";
            case "settings.update" -> "change the room settings";
            case "room.delete" -> "delete the room";
            case "participant.scribe" -> "name the scribe";
            case "timebox.start" -> "start a timebox";
            case "timebox.stop" -> "stop the timebox";
            default -> "change the backlog";
        };
    }

    /** Folds one event into the state: the state after it is one version on, whatever the event. */
    public static RoomState apply(RoomState state, RoomEvent event) {
        return change(state, event).nextVersion();
    }

    private static RoomState.Change change(RoomState state, RoomEvent event) {
        if (event instanceof ParticipantJoined joined) {
            RoomState.Change change = state.change().withParticipant(joined.participant());
            return joined.succeeds() == null ? change
                    : change.withItems(preVotesTakenOver(state, joined.succeeds(), joined.participant()));
        }
        if (event instanceof ParticipantUpdated updated) {
            Participant changed = updated.participant();
            RoomState.Change change = state.change().withParticipant(changed);
            if (!changed.votes() && state.hasOpenRound()) {
                change.withRound(state.round().withVote(changed.id(), null));
            }
            return change;
        }
        if (event instanceof PresenceChanged presence) {
            Participant participant = state.participants().get(presence.participantId());
            return state.change().withParticipant(presence.online() ? participant.connectedOn(presence.connection())
                    : participant.away());
        }
        if (event instanceof ParticipantLeft left) {
            RoomState.Change change = withoutParticipant(state, left.participantId());
            if (left.facilitatorId() != null) {
                change.withFacilitator(left.facilitatorId());
            }
            if (left.reason() != LeaveReason.EXPIRED) {
                // Someone who left for good, or was removed, takes their pre-votes along; one whose
                // grace period passed (they pre-voted, then closed the page) leaves them.
                change.withItems(withoutPreVotesOf(state, left.participantId()));
            }
            return left.keptOut() == null ? change : change.withKeptOut(keptOutWith(state, left.keptOut()));
        }
        if (event instanceof ParticipantReadmitted readmitted) {
            return state.change().withKeptOut(state.keptOut().stream()
                    .filter(k -> !k.participantId().equals(readmitted.participantId())).toList());
        }
        if (event instanceof FacilitatorChanged changed) {
            return state.change().withFacilitator(changed.participantId());
        }
        if (event instanceof SettingsChanged changed) {
            return state.change().withSettings(changed.settings());
        }
        if (event instanceof ScribeChanged changed) {
            return state.change().withScribe(changed.participantId());
        }
        if (event instanceof PreVoteCast cast) {
            Participant voter = state.participants().get(cast.participantId());
            return state.change().withItem(state.item(cast.itemId()).orElseThrow()
                    .withPreVote(voter.id(), voter.name(), voter.tokenHash(), cast.vote()));
        }
        if (event instanceof PreVoteWithdrawn withdrawn) {
            return state.change().withItem(state.item(withdrawn.itemId()).orElseThrow()
                    .withPreVote(withdrawn.participantId(), null, null, null));
        }
        if (event instanceof NoteAdded added) {
            return state.change().withItem(state.item(added.itemId()).orElseThrow().withNote(added.note()));
        }
        if (event instanceof TimeboxStarted started) {
            return state.change().withTimebox(started.timebox());
        }
        if (event instanceof TimeboxStopped) {
            return state.change().withTimebox(null);
        }
        if (event instanceof ItemAdded added) {
            List<BacklogItem> items = new ArrayList<>(state.items());
            items.add(added.item());
            return state.change().withItems(items).withLastItemNumber(state.lastItemNumber() + 1);
        }
        if (event instanceof ItemUpdated updated) {
            return state.change().withItem(updated.item());
        }
        if (event instanceof ItemRemoved removed) {
            return state.change()
                    .withItems(state.items().stream().filter(i -> !i.id().equals(removed.itemId())).toList());
        }
        if (event instanceof RoundStarted started) {
            RoomState.Change change = state.change().withRound(started.round())
                    .withLastRoundNumber(started.round().number());
            // The round starts from the item's pre-votes: they are the round's votes now, or dropped.
            Optional<BacklogItem> item = started.round().itemId() == null ? Optional.empty()
                    : state.item(started.round().itemId());
            return item.isEmpty() || item.get().preVotes().isEmpty() ? change
                    : change.withItem(item.get().withPreVotes(List.of()));
        }
        if (event instanceof VoteCast cast) {
            return state.change().withRound(state.round().withVote(cast.participantId(), cast.vote()));
        }
        if (event instanceof VoteWithdrawn withdrawn) {
            return state.change().withRound(state.round().withVote(withdrawn.participantId(), null));
        }
        if (event instanceof RoundRevealed revealed) {
            return afterReveal(state, revealed.round());
        }
        if (event instanceof EstimateSettled settled) {
            return state.change()
                    .withItem(state.item(settled.itemId()).orElseThrow().withEstimate(settled.estimate()));
        }
        if (event instanceof FlagResolved resolved) {
            return state.change().withItem(
                    state.item(resolved.itemId()).orElseThrow().withResolved(resolved.flag(), resolved.note()));
        }
        if (event instanceof ItemSplit split) {
            List<BacklogItem> items = new ArrayList<>(state.items().size() + split.children().size());
            for (BacklogItem item : state.items()) {
                if (item.id().equals(split.parentId())) {
                    items.add(item.asSplit());
                    items.addAll(split.children());
                } else {
                    items.add(item);
                }
            }
            return state.change().withItems(items)
                    .withLastItemNumber(state.lastItemNumber() + split.children().size());
        }
        if (event instanceof ItemMoved moved) {
            List<BacklogItem> items = new ArrayList<>(state.items());
            BacklogItem item = state.item(moved.itemId()).orElseThrow();
            items.remove(item);
            items.add(moved.toIndex(), item);
            return state.change().withItems(items);
        }
        if (event instanceof RoomDeleted) {
            return state.change().deleted();
        }
        throw new IllegalArgumentException("No rule applies event " + event.getClass().getSimpleName());
    }

    /** The latest removals, the newest last; past {@link RoomState#MAX_KEPT_OUT} the oldest is forgotten. */
    private static List<RoomState.KeptOut> keptOutWith(RoomState state, RoomState.KeptOut added) {
        List<RoomState.KeptOut> kept = new ArrayList<>(state.keptOut());
        kept.add(added);
        return kept.subList(Math.max(0, kept.size() - RoomState.MAX_KEPT_OUT), kept.size());
    }

    private static List<BacklogItem> withoutPreVotesOf(RoomState state, String participantId) {
        List<BacklogItem> items = state.items();
        List<BacklogItem> next = null;
        for (int i = 0; i < items.size(); i++) {
            BacklogItem item = items.get(i);
            if (item.preVoteOf(participantId).isPresent()) {
                if (next == null) {
                    next = new ArrayList<>(items);
                }
                next.set(i, item.withPreVote(participantId, null, null, null));
            }
        }
        return next == null ? items : next;
    }

    /** The pre-votes of {@code former}, now the newcomer's, in their places. */
    private static List<BacklogItem> preVotesTakenOver(RoomState state, String former, Participant newcomer) {
        return state.items().stream().map(item -> item.preVoteOf(former).isEmpty() ? item
                : item.withPreVotes(item.preVotes().stream().map(p -> !p.participantId().equals(former) ? p
                        : new PreVote(newcomer.id(), newcomer.name(), newcomer.tokenHash(), p.vote())).toList()))
                .toList();
    }

    private static RoomState.Change withoutParticipant(RoomState state, String participantId) {
        RoomState.Change change = state.change().withoutParticipant(participantId);
        Round round = state.round();
        if (round != null && !round.revealed()) {
            change.withRound(round.withVote(participantId, null));
        }
        if (participantId.equals(state.facilitatorId())) {
            change.withFacilitator(null);
        }
        if (participantId.equals(state.scribeId())) {
            change.withScribe(null);
        }
        return change;
    }

    private static RoomState.Change afterReveal(RoomState state, Round revealed) {
        RoomState.Change change = state.change().withRound(revealed);
        if (revealed.itemId() != null) {
            return change.withItems(state.items().stream()
                    .map(item -> item.id().equals(revealed.itemId()) ? item.withRound(revealed) : item).toList());
        }
        List<Round> kept = new ArrayList<>(state.quickRounds());
        kept.add(revealed);
        return change.withQuickRounds(
                kept.subList(Math.max(0, kept.size() - RoomState.MAX_QUICK_ROUNDS_KEPT), kept.size()));
    }
}
