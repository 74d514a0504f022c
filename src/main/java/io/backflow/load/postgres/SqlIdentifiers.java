package io.backflow.load.postgres;

import io.backflow.BackflowException;
import io.backflow.BackflowException.Category;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Quotes PostgreSQL identifiers. Every schema, table and column name Backflow puts into SQL goes through
 * {@link #quote}, so any name (spaces, capitals, quotes, {@code "; DROP TABLE x; --}) is used exactly as
 * written and can never change the statement around it.
 */
final class SqlIdentifiers {

    /** PostgreSQL's NAMEDATALEN - 1: longer names are silently truncated by the server. */
    static final int MAX_BYTES = 63;

    private SqlIdentifiers() {
    }

    /**
     * The identifier in double quotes with embedded double quotes doubled.
     *
     * @throws BackflowException {@code INVALID_CONFIG} for a name PostgreSQL cannot hold exactly: empty,
     *     containing a NUL character, or longer than 63 bytes (the server would truncate it and then
     *     write to a different name than configured)
     */
    static String quote(String name) {
        if (name.isEmpty()) {
            throw new BackflowException(Category.INVALID_CONFIG, "An empty name cannot be a PostgreSQL identifier");
        }
        if (name.indexOf('\0') >= 0) {
            throw new BackflowException(Category.INVALID_CONFIG,
                    "PostgreSQL identifiers cannot contain a NUL character: '" + name.replace('\0', '?') + "'");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new BackflowException(Category.INVALID_CONFIG, "PostgreSQL identifier '" + name + "' is " + bytes
                    + " bytes long; the limit is " + MAX_BYTES + " (longer names are truncated by the server)");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."table"}, or {@code "table"} to resolve through the session's search path. */
    static String qualified(Optional<String> schema, String table) {
        return schema.map(s -> quote(s) + "." + quote(table)).orElseGet(() -> quote(table));
    }

    /** Quoted names joined with {@code ", "}, each prefixed by {@code prefix} (an alias and a dot, or ""). */
    static String list(List<String> names, String prefix) {
        return names.stream().map(name -> prefix + quote(name)).collect(Collectors.joining(", "));
    }
}
