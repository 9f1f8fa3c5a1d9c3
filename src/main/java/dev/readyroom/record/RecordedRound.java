package dev.readyroom.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A revealed round (never an open one): its statistics as shown at the reveal. */
@Entity
@Table(name = "estimation_round")
public class RecordedRound extends RoomScopedEntity {
    public int number;
    /** Null for a quick round. */
    @Column(name = "item_id")
    public String itemId;
    /** The reveal statistics, as JSON in the shape of the protocol's {@code stats}. */
    @Column(columnDefinition = "text")
    public String stats;
    public boolean consensus;
    @Column(name = "revealed_at")
    public OffsetDateTime revealedAt;
    public long version;
}
