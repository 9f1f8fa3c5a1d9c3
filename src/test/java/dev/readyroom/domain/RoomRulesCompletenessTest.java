package dev.readyroom.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event and command type has a rule: one sample of each type permitted by {@link RoomEvent}
 * and {@link RoomCommand}, so that a new type without a sample, or without a rule, fails the build.
 */
public class RoomRulesCompletenessTest {
    private static final String FIRST_ITEM = "i1";
    private static final String SECOND_ITEM = "i2";
    private static final List<String> EVERYONE = List.of("fac", "ana", "bo", "stranger");
    static final long NOW = 1_765_000_000_000L;

    /**
     * The room every sample meets: fac facilitates, ana voted in round 2 on the first item, whose
     * round 1 left the risk flag open, bo is away, the second item waits with pre-votes of ana and
     * bo (pre-voting is on), cy was removed, and a 15-minute timebox runs from {@link #NOW}.
     */
    public static RoomState room() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo");
        assertThat(room.addItem("Export CSV")).isEqualTo(FIRST_ITEM);
        assertThat(room.addItem("Import CSV")).isEqualTo(SECOND_ITEM);
        room.accept("fac", new RoomCommand.UpdateSettings(null, null, false, null, true));
        room.accept("ana", new CastPreVote(SECOND_ITEM, "5", List.of(Flag.SCOPE)));
        room.accept("bo", new CastPreVote(SECOND_ITEM, "13", List.of()));
        room.accept("fac", new StartTimebox(15, NOW));
        room.accept("fac", new SelectItem(FIRST_ITEM));
        room.vote("ana", "5", Flag.RISK);
        room.accept("fac", new Reveal());
        room.accept("fac", new SelectItem(FIRST_ITEM));
        room.vote("ana", "8");
        room.system(new Disconnect("bo", "n/bo"));
        room.system(new Join("cy", "Cy", Role.VOTER, "t-cy", "n/cy"));
        room.accept("fac", new RemoveParticipant("cy", Long.MAX_VALUE));
        return room.state;
    }

    public static Stream<RoomEvent> events() {
        List<RevealedVote> shown = List.of(new RevealedVote("ana", "ANA", "8", List.of()));
        return Stream.of(
                new ParticipantJoined(new Participant("dee", "Dee", Role.VOTER, true, "t-dee", "n/dee")),
                new ParticipantUpdated(new Participant("ana", "ANA", Role.OBSERVER, true, "t-ana", "n/ana")),
                new PresenceChanged("bo", "n/bo-again"),
                new ParticipantLeft("ana", LeaveReason.LEFT),
                new FacilitatorChanged("ana"),
                new SettingsChanged(new Settings(true)),
                new ItemAdded(BacklogItem.create("i3", "Spike", null, null, null)),
                new ItemUpdated(BacklogItem.create(SECOND_ITEM, "Import CSV files", null, null, null)),
                new ItemRemoved(SECOND_ITEM),
                new RoundStarted(Round.open(3, null)),
                new VoteCast("bo", new Vote("3", List.of())),
                new VoteWithdrawn("ana"),
                new RoundRevealed(Round.open(2, FIRST_ITEM).reveal(shown, Statistics.compute(Decks.FIBONACCI, shown))),
                new EstimateSettled(FIRST_ITEM, "8"),
                new FlagResolved(FIRST_ITEM, Flag.RISK, "Agreed with ops"),
                new ParticipantReadmitted("cy"),
                new ItemSplit(SECOND_ITEM, List.of(BacklogItem.create("i3", "Import", null, null, null, null, null,
                        SECOND_ITEM), BacklogItem.create("i4", "Map columns", null, null, null, null, null, SECOND_ITEM))),
                new ItemMoved(SECOND_ITEM, 0),
                new ScribeChanged("ana"),
                new PreVoteCast(SECOND_ITEM, "ana", new Vote("8", List.of())),
                new PreVoteWithdrawn(SECOND_ITEM, "ana"),
                new NoteAdded(FIRST_ITEM, new Note(1, 2, "Fran", "Agreed: 8, the export reuses the report")),
                new TimeboxStarted(new Timebox(NOW, NOW + 300_000, 5)),
                new TimeboxStopped(),
                new RoomDeleted());
    }

    /** Each command with who may give it ({@code null}: the service). */
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of(new Join("dee", "Dee", Role.VOTER, "t-dee", "n/dee"), null),
                Arguments.of(new Reconnect("bo", "n/bo-again"), null),
                Arguments.of(new ClaimFacilitator("ana"), null),
                Arguments.of(new Disconnect("ana", "n/ana"), null),
                Arguments.of(new Expire("bo"), null),
                Arguments.of(new ImportItem("Spike", null, null, null), null),
                Arguments.of(new Leave(), "ana"),
                Arguments.of(new CastVote("3", List.of()), "ana"),
                Arguments.of(new UpdateSelf("Ana", null), "ana"),
                Arguments.of(new Reveal(), "fac"),
                Arguments.of(new Revote(), "fac"),
                Arguments.of(new StartQuickRound(), "fac"),
                Arguments.of(new AddItem("Spike", null, null, null), "fac"),
                Arguments.of(new UpdateItem(FIRST_ITEM, "Export CSV files", null, null, null), "fac"),
                Arguments.of(new RemoveItem(SECOND_ITEM), "fac"),
                Arguments.of(new SelectItem(SECOND_ITEM), "fac"),
                Arguments.of(new SettleEstimate(FIRST_ITEM, "8"), "fac"),
                Arguments.of(new ResolveFlag(FIRST_ITEM, Flag.RISK), "fac"),
                Arguments.of(new UpdateSettings(true), "fac"),
                Arguments.of(new TransferFacilitator("ana"), "fac"),
                Arguments.of(new RemoveParticipant("bo"), "fac"),
                Arguments.of(new Readmit("cy"), "fac"),
                Arguments.of(new SplitItem(SECOND_ITEM, List.of(new NewItem("Import", null, null, null),
                        new NewItem("Map columns", null, "Columns map to fields", "Saves retyping"))), "fac"),
                Arguments.of(new MoveItem(SECOND_ITEM, 0), "fac"),
                Arguments.of(new CastPreVote(SECOND_ITEM, "8", List.of()), "ana"),
                Arguments.of(new ClaimWithKey("key-hash"), "ana"),
                Arguments.of(new NameScribe("ana"), "fac"),
                Arguments.of(new AddNote(FIRST_ITEM, "Agreed: 8, the export reuses the report"), "fac"),
                Arguments.of(new StartTimebox(5, NOW + 1_000), "fac"),
                Arguments.of(new StopTimebox(NOW + 1_000), "fac"),
                Arguments.of(new DeleteRoom(), "fac"));
    }

    @Test
    void everyEventTypeHasOneSample() {
        assertThat(events().<Class<?>>map(Object::getClass).toList())
                .as("one sample per RoomEvent type: a new type needs one here and a rule in RoomRules.apply")
                .containsExactlyInAnyOrderElementsOf(permittedTypes(RoomEvent.class));
    }

    @Test
    void everyCommandTypeHasOneSample() {
        assertThat(commands().<Class<?>>map(sample -> sample.get()[0].getClass()).toList())
                .as("one sample per RoomCommand type: a new type needs one here and a rule in RoomRules.decide")
                .containsExactlyInAnyOrderElementsOf(permittedTypes(RoomCommand.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void applyHasARuleForEveryEventTypeThatMovesTheVersionOnByOne(RoomEvent event) {
        RoomState state = room();

        assertThat(RoomRules.apply(state, event).version()).isEqualTo(state.version() + 1);
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("commands")
    void decideHasARuleForEveryCommandTypeThatAcceptsItFromWhoMayGiveIt(RoomCommand command, String by) {
        RoomState state = room();

        Decision decision = RoomRules.decide(state, command, actor(by));

        assertThat(decision).isInstanceOf(Decision.Accepted.class);
        RoomEvent event = ((Decision.Accepted) decision).event();
        assertThat(RoomRules.apply(state, event).version()).isEqualTo(state.version() + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void decideAnswersEveryCommandTypeFromAnyoneWithADecisionNeverAnException(RoomCommand command) {
        RoomState state = room();
        for (String by : EVERYONE) {
            assertThatCode(() -> answer(state, command, by)).as("%s by %s", command, by).doesNotThrowAnyException();
        }
        assertThatCode(() -> answer(state, command, null)).as("%s by the service", command)
                .doesNotThrowAnyException();
    }

    private static void answer(RoomState state, RoomCommand command, String by) {
        Decision decision = RoomRules.decide(state, command, actor(by));
        if (decision instanceof Decision.Rejected rejected) {
            assertThat(rejected.code()).isNotBlank();
        } else {
            assertThat(decision).isInstanceOf(Decision.Accepted.class);
        }
    }

    private static Actor actor(String by) {
        return by == null ? Actor.SYSTEM : Actor.participant(by);
    }

    /** The types a sealed interface permits, through the sealed interfaces it nests. */
    private static Set<Class<?>> permittedTypes(Class<?> sealed) {
        Set<Class<?>> types = new HashSet<>();
        for (Class<?> permitted : sealed.getPermittedSubclasses()) {
            if (permitted.isSealed()) {
                types.addAll(permittedTypes(permitted));
            } else {
                types.add(permitted);
            }
        }
        return types;
    }
}
