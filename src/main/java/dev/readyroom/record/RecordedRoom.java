package dev.readyroom.record;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A room as the record keeps it: what it is, its deck and settings, and the facilitator key hash. */
@Entity
@Table(name = "room")
public class RecordedRoom extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    @Column(name = "deck_id")
    public String deckId;
    @Column(name = "deck_name")
    public String deckName;
    /** JSON array of the cards, in deck order. */
    @Column(name = "deck_cards", columnDefinition = "text")
    public String deckCards;
    @Column(name = "auto_reveal")
    public boolean autoReveal;
    /** JSON: the room's Ready-for-Sprint checklist; null until the facilitator changed a setting. */
    @Column(columnDefinition = "text")
    public String readiness;
    public Double velocity;
    @Column(name = "pre_voting")
    public boolean preVoting;
    @Column(name = "facilitator_key_hash")
    public String facilitatorKeyHash;
    @Column(name = "last_item_number")
    public int lastItemNumber;
    @Column(name = "last_round_number")
    public int lastRoundNumber;
    /** A round started and not revealed yet: its hidden votes exist only in the live state. */
    @Column(name = "open_round_number")
    public Integer openRoundNumber;
    @Column(name = "open_round_item_id")
    public String openRoundItemId;
    public long version;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
