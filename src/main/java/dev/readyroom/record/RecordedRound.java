package dev.readyroom.record;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A revealed round (never an open one): its statistics as shown at the reveal. */
@Entity
@Table(name = "estimation_round")
public class RecordedRound extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "room_id")
    public String roomId;
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
