package org.orbis.bench;

/** A server under test: where devices register, and what it has seen. */
interface Target extends AutoCloseable {

    String name();

    int securePort();

    int registrations();

    /** Devices whose Temperature observation is established. */
    int observedDevices();

    /** Temperature notifications the target has fully handled (committed, for Orbis; received, for bare Leshan). */
    long handledNotifications();

    /** Starts recording send-to-handled delays into {@code histogram} (null stops). */
    void recordDelays(LatencyHistogram histogram);

    @Override
    void close();
}
