package dev.readyroom.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One vote of a revealed round, with the voter's name then and the unknowns they flagged. */
@Entity
@Table(name = "revealed_vote")
public class RecordedVote extends RoomScopedEntity {
    @Column(name = "round_id")
    public long roundId;
    public int position;
    @Column(name = "participant_id")
    public String participantId;
    public String name;
    public String value;
    /** Comma-separated flag wire names. */
    @Column(columnDefinition = "text")
    public String flags;
}
