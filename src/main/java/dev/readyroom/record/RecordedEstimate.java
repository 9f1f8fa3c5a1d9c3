package dev.readyroom.record;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Each time the facilitator settled (or cleared, {@code value == null}) an item's estimate. */
@Entity
@Table(name = "settled_estimate")
public class RecordedEstimate extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "room_id")
    public String roomId;
    @Column(name = "item_id")
    public String itemId;
    public String value;
    public long version;
    @Column(name = "settled_at")
    public OffsetDateTime settledAt;
}
