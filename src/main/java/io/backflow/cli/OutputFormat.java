package io.backflow.cli;

/** How {@code history} and {@code failures} print what they read. */
enum OutputFormat {
    /** An aligned table with a heading, for people. */
    TABLE,
    /** One JSON object per line and nothing else, for tools ({@code jq}, log shippers). */
    JSON_LINES
}
