-- Refinement: why an item matters, what it waits on, the item it was split from, how its unknowns
-- were resolved; the room's Ready-for-Sprint checklist and velocity. `position` is the item's place
-- in the backlog's order (its priority): set when the item is added, and again for every item when
-- the order changes (a move, a split).

alter table backlog_item
    add column value            text        not null default '',
    add column dependencies     text        not null default '',
    add column parent_id        varchar(32),
    add column resolution_notes text        not null default '[]';

alter table room
    add column readiness text,
    add column velocity  double precision;

-- The room version of the last order written, so a late or repeated move never undoes a newer one.
alter table room add column order_version bigint not null default 0;
