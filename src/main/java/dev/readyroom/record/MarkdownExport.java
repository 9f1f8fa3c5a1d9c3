package dev.readyroom.record;

import dev.readyroom.domain.Deck;
import dev.readyroom.domain.RevealStats.CardCount;
import dev.readyroom.domain.Runway;
import dev.readyroom.record.RoomExport.Item;
import dev.readyroom.record.RoomExport.RoundSummary;
import dev.readyroom.record.RoomExport.VoteSummary;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/** The refined backlog as a meeting summary: an overview table, then each item with its rounds. */
public final class MarkdownExport {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

    private MarkdownExport() {
    }

    public static String write(RoomExport export) {
        StringBuilder md = new StringBuilder();
        md.append("# Refinement summary: ").append(inline(export.name())).append("\n\n");
        md.append("Exported ").append(WHEN.format(export.exportedAt())).append(" · deck ")
                .append(inline(export.deck().name())).append(" (").append(String.join(" ", export.deck().cards()))
                .append(")\n\n");
        RoomExport.Summary summary = export.summary();
        md.append("**").append(summary.items()).append(" items**, ").append(summary.estimated())
                .append(" estimated, ").append(summary.ready()).append(" ready for a sprint, ")
                .append(summary.rounds()).append(" rounds revealed.\n\n");
        md.append(runway(export)).append("\n\n");
        if (!export.items().isEmpty()) {
            md.append("| # | Item | Estimate | Ready | Rounds | Open unknowns |\n");
            md.append("|---|------|----------|-------|--------|---------------|\n");
            for (Item item : export.items()) {
                md.append("| ").append(item.position()).append(" | ").append(cell(item.title()))
                        .append(item.reference() == null ? "" : " (" + cell(item.reference()) + ")").append(" | ")
                        .append(item.estimate() == null ? "—" : cell(item.estimate())).append(" | ")
                        .append(item.ready() ? "yes" : "no: " + String.join(", ", item.missing())).append(" | ")
                        .append(item.rounds().size()).append(" | ")
                        .append(item.openFlags().isEmpty() ? "—" : String.join(", ", item.openFlags())).append(" |\n");
            }
            md.append("\n## Items\n");
        }
        for (Item item : export.items()) {
            item(md, item);
        }
        if (!export.quickRounds().isEmpty()) {
            md.append("\n## Quick rounds\n\n");
            export.quickRounds().forEach(round -> round(md, round));
        }
        return md.toString();
    }

    private static void item(StringBuilder md, Item item) {
        md.append("\n### ").append(item.position()).append(". ").append(inline(item.title())).append("\n\n");
        if (item.reference() != null) {
            md.append("Reference: ").append(inline(item.reference())).append("\n\n");
        }
        if (item.description() != null && !item.description().isBlank()) {
            md.append(quote(item.description())).append("\n\n");
        }
        if (item.acceptanceCriteria() != null && !item.acceptanceCriteria().isBlank()) {
            md.append("Acceptance criteria:\n\n").append(quote(item.acceptanceCriteria())).append("\n\n");
        }
        if (item.value() != null && !item.value().isBlank()) {
            md.append("Why it matters:\n\n").append(quote(item.value())).append("\n\n");
        }
        if (item.dependencies() != null && !item.dependencies().isBlank()) {
            md.append("Depends on:\n\n").append(quote(item.dependencies())).append("\n\n");
        }
        if ("split".equals(item.status())) {
            md.append("- Split into smaller items (below), out of the runway.\n");
        }
        if (item.parentId() != null) {
            md.append("- Split from ").append(inline(item.parentId())).append('\n');
        }
        md.append("- Estimate: **").append(item.estimate() == null ? "none settled" : inline(item.estimate()))
                .append("**\n");
        md.append("- Ready: ").append(item.ready() ? "yes" : "no — missing " + String.join(", ", item.missing()))
                .append('\n');
        if (!item.checks().isEmpty()) {
            md.append("- Checklist: ").append(CsvExport.checklist(item)).append('\n');
        }
        if (!item.resolvedFlags().isEmpty()) {
            md.append("- Unknowns resolved: ").append(inline(CsvExport.resolutions(item))).append('\n');
        }
        if (item.rounds().isEmpty()) {
            md.append("- Not voted on.\n");
        }
        item.rounds().forEach(round -> round(md, round));
        if (!item.notes().isEmpty()) {
            md.append("- Notes:\n");
            for (RoomExport.NoteSummary note : item.notes()) {
                md.append("  - ").append(note.round() == null ? "" : "Round " + note.round() + ", ")
                        .append(inline(note.author())).append(": ").append(inline(note.text())).append('\n');
            }
        }
    }

    private static void round(StringBuilder md, RoundSummary round) {
        md.append("- Round ").append(round.number()).append(": ").append(CsvExport.distribution(round.distribution()));
        int estimates = 0;
        int unsure = 0;
        for (CardCount count : round.distribution()) {
            if (Deck.UNKNOWN_CARD.equals(count.value())) {
                unsure += count.count();
            } else if (!Deck.BREAK_CARD.equals(count.value())) {
                estimates += count.count();
            }
        }
        // Fewer than two estimates agree with nobody; rounds recorded before that rule may still say consensus.
        if (estimates < 2) {
            md.append(" — ").append(estimates).append(estimates == 1 ? " estimate" : " estimates");
            if (unsure > 0) {
                md.append(", ").append(unsure).append(" unsure");
            }
        } else if (round.consensus()) {
            md.append(" — consensus");
        } else if (round.spread() != null) {
            md.append(" — spread ").append(round.spread()).append(round.spread() == 1 ? " step" : " steps");
        }
        if (round.median() != null) {
            md.append(", median ").append(number(round.median()));
        }
        if (!round.flags().isEmpty()) {
            md.append("; unknowns flagged: ").append(round.flags().entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", ")));
        }
        md.append('\n');
        for (VoteSummary vote : round.votes()) {
            md.append("  - ").append(inline(vote.name())).append(": ").append(inline(vote.value()));
            if (!vote.flags().isEmpty()) {
                md.append(" (").append(String.join(", ", vote.flags())).append(')');
            }
            md.append('\n');
        }
    }

    /** The runway against the 3-5-3 targets, in words. */
    private static String runway(RoomExport export) {
        Runway runway = export.runway();
        String sprints = runway.sprints() == null ? "no velocity set"
                : number(runway.sprints()) + " of " + runway.targets().sprints() + " sprints at "
                        + number(export.velocity()) + " points a sprint";
        return "Runway: " + runway.readyItems() + (runway.readyItems() == 1 ? " ready item" : " ready items")
                + " (target " + runway.targets().readyItems() + "), " + number(runway.readyPoints())
                + " ready points (" + sprints + "), " + runway.oversized() + " too big for a sprint.";
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** People's text, shown as typed: Markdown syntax in it is escaped. */
    static String inline(String text) {
        return text.replaceAll("([\\\\`*_\\[\\]<>#|])", "\\\\$1").replace("\r", "").replace("\n", " ");
    }

    private static String cell(String text) {
        return inline(text);
    }

    private static String quote(String text) {
        return text.lines().map(line -> "> " + inline(line)).collect(Collectors.joining("\n"));
    }
}
