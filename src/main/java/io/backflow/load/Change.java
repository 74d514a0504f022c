package io.backflow.load;

import io.backflow.diff.Operation;
import org.apache.spark.sql.Row;

/**
 * One change to send: its operation and its plan row (operation, key columns, synced columns, hash).
 * Read the row's fields through {@link ChangeLayout}.
 */
public record Change(Operation operation, Row row) {
}
