package io.backflow.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns, for terminal output. Cells are collapsed to one line so a
 * multi-line value (a database error with its detail) cannot break the alignment. Not thread-safe.
 */
final class TextTable {

    /** Which side of its column a cell sticks to. */
    enum Align {
        /** Text. */
        LEFT,
        /** Numbers, so their digits line up. */
        RIGHT
    }

    private static final String GAP = "  ";

    private final List<String> headers = new ArrayList<>();
    private final List<Align> aligns = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    TextTable column(String header, Align align) {
        headers.add(header);
        aligns.add(align);
        return this;
    }

    /** Adds a row; a null cell prints empty. */
    void row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("A row of " + cells.length + " cells for " + headers.size()
                    + " columns " + headers);
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell == null ? "" : oneLine(cell.toString()));
        }
        rows.add(row);
    }

    /** The heading and every row, without trailing spaces (the last column may be free text). */
    List<String> lines() {
        int[] widths = new int[headers.size()];
        for (int column = 0; column < widths.length; column++) {
            widths[column] = headers.get(column).length();
            for (List<String> row : rows) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(format(headers, widths));
        rows.forEach(row -> lines.add(format(row, widths)));
        return lines;
    }

    private String format(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < cells.size(); column++) {
            String cell = cells.get(column);
            String padding = " ".repeat(widths[column] - cell.length());
            line.append(column == 0 ? "" : GAP);
            line.append(aligns.get(column) == Align.RIGHT ? padding + cell : cell + padding);
        }
        return line.toString().stripTrailing();
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
