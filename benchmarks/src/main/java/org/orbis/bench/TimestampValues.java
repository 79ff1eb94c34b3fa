package org.orbis.bench;

/** The fleet runs with {@code --values timestamp}: a Temperature value is the epoch millis at which it was sent. */
final class TimestampValues {

    private TimestampValues() {
    }

    /** Milliseconds from sending to now, or -1 if the value is not a send timestamp. */
    static long delaySince(String value, long nowMillis) {
        try {
            double sent = Double.parseDouble(value);
            return sent > 1e12 ? nowMillis - (long) sent : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
