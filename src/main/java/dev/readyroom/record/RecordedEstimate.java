package dev.readyroom.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Each time the facilitator settled (or cleared, {@code value == null}) an item's estimate. */
@Entity
@Table(name = "settled_estimate")
public class RecordedEstimate extends RoomScopedEntity {
    @Column(name = "item_id")
    public String itemId;
    public String value;
    public long version;
    @Column(name = "settled_at")
    public OffsetDateTime settledAt;
}
