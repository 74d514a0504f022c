package io.backflow.load.postgres;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Dates and times in the input format PostgreSQL parses the same way under every {@code DateStyle} and
 * {@code TimeZone} setting: ISO year-month-day, six fractional digits (PostgreSQL's precision, which is
 * also Spark's), an explicit {@code +00} offset for instants, and a {@code BC} suffix for years before 1.
 * Also converts the classes Spark uses for date and timestamp values to {@code java.time}.
 */
final class DateTimeText {

    /**
     * 1582-10-15T00:00Z: before it, Spark's {@code java.sql} values are in the hybrid Julian calendar
     * (see {@link #instantOf}).
     */
    private static final long GREGORIAN_CUTOVER_MILLIS = -12_219_292_800_000L;

    private DateTimeText() {
    }

    /** {@code 2024-02-29}, {@code 0044-03-15 BC}. */
    static String date(LocalDate date) {
        return ymd(date.getYear(), date.getMonthValue(), date.getDayOfMonth()) + era(date.getYear());
    }

    /** A local date-time for a {@code timestamp} column: {@code 2024-02-29 13:45:00.000001}. */
    static String localDateTime(LocalDateTime time) {
        return ymd(time.getYear(), time.getMonthValue(), time.getDayOfMonth()) + " " + hms(time) + era(time.getYear());
    }

    /** An instant for a {@code timestamptz} column, in UTC: {@code 2024-02-29 13:45:00.000001+00}. */
    static String instant(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        return ymd(utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth()) + " " + hms(utc) + "+00"
                + era(utc.getYear());
    }

    /** A Spark date value ({@link java.sql.Date}, or {@link LocalDate} with the Java 8 time API on). */
    static LocalDate localDate(Object value) {
        if (value instanceof LocalDate date) {
            return date;
        } else if (value instanceof java.sql.Date date) {
            // Spark builds java.sql.Date so that its calendar fields, not its millis, are the date.
            return date.toLocalDate();
        }
        throw new IllegalArgumentException("A Spark date value must be a java.sql.Date or LocalDate, got "
                + value.getClass().getName());
    }

    /** A Spark timestamp value ({@link Timestamp}, or {@link Instant} with the Java 8 time API on). */
    static Instant instantOf(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        } else if (value instanceof Timestamp timestamp) {
            if (timestamp.getTime() >= GREGORIAN_CUTOVER_MILLIS) {
                return timestamp.toInstant();
            }
            // Spark rebases older timestamps to the hybrid calendar through the JVM's time zone, so the
            // wall-clock fields in that zone are the value. (No DST ambiguity exists that far back.)
            return timestamp.toLocalDateTime().atZone(ZoneId.systemDefault()).toInstant();
        }
        throw new IllegalArgumentException("A Spark timestamp value must be a java.sql.Timestamp or Instant, got "
                + value.getClass().getName());
    }

    private static String ymd(int year, int month, int day) {
        // Year 0 in java.time is 1 BC: PostgreSQL counts eras, without a year 0.
        StringBuilder text = new StringBuilder(32);
        pad(text, year >= 1 ? year : 1 - year, 4).append('-');
        pad(text, month, 2).append('-');
        return pad(text, day, 2).toString();
    }

    private static String hms(LocalDateTime time) {
        StringBuilder text = new StringBuilder(16);
        pad(text, time.getHour(), 2).append(':');
        pad(text, time.getMinute(), 2).append(':');
        pad(text, time.getSecond(), 2).append('.');
        // Truncated to microseconds, as Spark does; PostgreSQL would round instead.
        return pad(text, time.getNano() / 1000, 6).toString();
    }

    /** Appends a non-negative number zero-padded to {@code width} digits (not String.format: a hot path). */
    private static StringBuilder pad(StringBuilder text, int number, int width) {
        String digits = Integer.toString(number);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(digits);
    }

    private static String era(int year) {
        return year >= 1 ? "" : " BC";
    }
}
