package io.backflow.load.postgres;

import io.backflow.diff.Operation;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes changes as lines of PostgreSQL's COPY text format, in the column order of
 * {@link StagingSql#copy}: batch index, operation, changed column positions (only when
 * {@link StagingSql#stagesChanged}), key columns, synced columns.
 *
 * <p>Text format rather than CSV because its escaping is a fixed, per-character rule with no quoting
 * state: {@code \N} is null and an empty field is the empty string; backslash, newline, carriage return
 * and tab are backslash-escaped; every other character, including quotes, commas and any Unicode, is
 * written as itself. And since a backslash is always escaped, no value can form the {@code \.} end
 * marker. Thread-safe: it holds no mutable state.
 */
final class CopyEncoder {

    private static final String NULL = "\\N";

    private final List<String> key;
    private final List<String> columns;
    private final int[] keyIndexes;
    private final int[] columnIndexes;
    private final DataType[] keyTypes;
    private final DataType[] columnTypes;
    private final ChangeLayout layout;
    private final boolean changedOnly;
    /** A synced column's 1-based position in the layout, as {@link StagingSql#CHANGED} lists it. */
    private final Map<String, Integer> positions;

    CopyEncoder(ChangeLayout layout) {
        this.layout = layout;
        this.changedOnly = StagingSql.stagesChanged(layout);
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < layout.columns().size(); i++) {
            positions.put(layout.columns().get(i), i + 1);
        }
        this.positions = Map.copyOf(positions);
        this.key = layout.key();
        this.columns = layout.columns();
        this.keyIndexes = key.stream().mapToInt(name -> layout.planSchema().fieldIndex(name)).toArray();
        this.columnIndexes = columns.stream().mapToInt(name -> layout.planSchema().fieldIndex(name)).toArray();
        this.keyTypes = key.stream().map(name -> layout.field(name).dataType()).toArray(DataType[]::new);
        this.columnTypes = columns.stream().map(name -> layout.field(name).dataType()).toArray(DataType[]::new);
    }

    /**
     * Appends one change as one line. A delete carries only its key: its other values are not needed,
     * and a value the table would reject must not block the delete.
     *
     * @param index the change's position in its batch, staged so results can be mapped back to it
     * @throws IllegalArgumentException if a value is not of the class Spark uses for its column's type;
     *     then nothing is appended
     */
    void append(StringBuilder out, int index, Change change) {
        int start = out.length();
        try {
            Row row = change.row();
            out.append(index).append('\t').append(change.operation().name());
            if (changedOnly) {
                appendChanged(out, row);
            }
            for (int i = 0; i < keyIndexes.length; i++) {
                appendValue(out, key.get(i), keyTypes[i], row.get(keyIndexes[i]));
            }
            boolean delete = change.operation() == Operation.DELETE;
            for (int i = 0; i < columnIndexes.length; i++) {
                appendValue(out, columns.get(i), columnTypes[i], delete ? null : row.get(columnIndexes[i]));
            }
            out.append('\n');
        } catch (IllegalArgumentException e) {
            out.setLength(start);
            throw e;
        }
    }

    /**
     * An update's changed columns as an {@code integer[]} literal of their positions, {@code \N} (every
     * column) when the change names none. A name that is no synced column cannot be set, so it is left out.
     */
    private void appendChanged(StringBuilder out, Row row) {
        out.append('\t');
        Optional<List<String>> changed = layout.changedColumns(row);
        if (changed.isEmpty()) {
            out.append(NULL);
            return;
        }
        // Integers need no quoting or escaping in an array literal, nor in the COPY text around it.
        out.append('{').append(changed.get().stream().map(positions::get).filter(Objects::nonNull).sorted()
                .map(String::valueOf).collect(Collectors.joining(","))).append('}');
    }

    private static void appendValue(StringBuilder out, String column, DataType type, Object value) {
        out.append('\t');
        if (value == null) {
            out.append(NULL);
            return;
        }
        String text;
        try {
            text = PostgresTypes.text(type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Column '" + column + "': " + e.getMessage(), e);
        }
        escape(out, text);
    }

    /** Appends text escaped for the COPY text format (see the class comment). */
    static void escape(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
    }
}
