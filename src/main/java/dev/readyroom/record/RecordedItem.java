package dev.readyroom.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A backlog item as last committed: text, settled estimate, status and readiness. */
@Entity
@Table(name = "backlog_item")
public class RecordedItem extends RoomScopedEntity {
    @Column(name = "item_id")
    public String itemId;
    /** Order in the backlog: items are appended, so the item number. */
    public int position;
    public String title;
    @Column(columnDefinition = "text")
    public String description;
    @Column(name = "acceptance_criteria", columnDefinition = "text")
    public String acceptanceCriteria;
    public String reference;
    public String estimate;
    public String status;
    public boolean ready;
    /** Comma-separated, as in the readiness of the protocol: title, acceptance, estimate, flag:scope. */
    @Column(columnDefinition = "text")
    public String missing;
    @Column(name = "open_flags", columnDefinition = "text")
    public String openFlags;
    @Column(name = "resolved_flags", columnDefinition = "text")
    public String resolvedFlags;
    @Column(columnDefinition = "text")
    public String value;
    @Column(columnDefinition = "text")
    public String dependencies;
    @Column(name = "parent_id")
    public String parentId;
    /** JSON: the latest resolution of each unknown, {@code [{"flag":..., "note":...}]}. */
    @Column(name = "resolution_notes", columnDefinition = "text")
    public String resolutionNotes;
    public boolean removed;
    public long version;
}
