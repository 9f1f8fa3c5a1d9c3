package dev.readyroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * The cast most tests play a room with, joined: Fran facilitating (an observer holding the key) and
 * two voters, Ana and Bo unless named otherwise. Its steps wait for each command's ack and fail on
 * anything else; {@link #close()} closes the three sockets.
 */
public record Team(TestRoom room, RoomClient facilitator, RoomClient ana, RoomClient bo) implements AutoCloseable {

    /**
     * The facilitator selects {@code itemId}, Ana and Bo vote, and the facilitator reveals. A vote is
     * a card, then any flags after spaces: {@code "13 scope"}.
     */
    public JsonObject playRound(String itemId, String anaVote, String boVote) {
        acked(facilitator.command("item.select", "itemId", itemId));
        return votesRevealed(anaVote, boVote);
    }

    /** The facilitator starts a revote of the round just revealed, Ana and Bo vote again, and it is revealed. */
    public JsonObject revote(String anaVote, String boVote) {
        acked(facilitator.command("revote"));
        return votesRevealed(anaVote, boVote);
    }

    /** The facilitator settles {@code itemId}'s estimate. */
    public JsonObject estimate(String itemId, String value) {
        return acked(facilitator.command("item.estimate", "itemId", itemId, "value", value));
    }

    private JsonObject votesRevealed(String anaVote, String boVote) {
        vote(ana, anaVote);
        vote(bo, boVote);
        return acked(facilitator.command("reveal"));
    }

    private static void vote(RoomClient voter, String vote) {
        String[] cardAndFlags = vote.split(" ");
        acked(voter.vote(cardAndFlags[0], Arrays.copyOfRange(cardAndFlags, 1, cardAndFlags.length)));
    }

    /** The reply, once asserted to be an ack. */
    public static JsonObject acked(JsonObject reply) {
        assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("ack");
        return reply;
    }

    @Override
    public void close() {
        facilitator.close();
        ana.close();
        bo.close();
    }
}
