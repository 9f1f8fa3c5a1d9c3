package dev.readyroom.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A note written on an item during its discussion: the rationale of its estimate, or a decision. */
@Entity
@Table(name = "item_note")
public class RecordedNote extends RoomScopedEntity {
    @Column(name = "item_id")
    public String itemId;
    /** The item's notes counted from 1. */
    public int number;
    /** The item's round it belongs to, or null before its first round. */
    @Column(name = "round_number")
    public Integer roundNumber;
    public String author;
    @Column(columnDefinition = "text")
    public String text;
    public long version;
    @Column(name = "written_at")
    public OffsetDateTime writtenAt;
}
