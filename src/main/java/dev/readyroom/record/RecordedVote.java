package dev.readyroom.record;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One vote of a revealed round, with the voter's name then and the unknowns they flagged. */
@Entity
@Table(name = "revealed_vote")
public class RecordedVote extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "round_id")
    public long roundId;
    @Column(name = "room_id")
    public String roomId;
    public int position;
    @Column(name = "participant_id")
    public String participantId;
    public String name;
    public String value;
    /** Comma-separated flag wire names. */
    @Column(columnDefinition = "text")
    public String flags;
}
