package org.orbis.server.security;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.scandium.AlertHandler;
import org.eclipse.californium.scandium.DtlsHealth;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the DTLS layer does with handshakes and records. Scandium rejects an unknown PSK identity or a wrong
 * key silently (the peer only sees a timeout, which keeps attackers from probing identities), so these counters are
 * how operators, metrics and tests see hostile or misconfigured devices. Called on Scandium's threads; lock-free.
 */
public final class DtlsMonitor implements DtlsHealth, AlertHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DtlsMonitor.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong handshakesStarted = new AtomicLong();
    private final AtomicLong handshakesSucceeded = new AtomicLong();
    private final AtomicLong handshakesFailed = new AtomicLong();
    private final AtomicLong recordsReceived = new AtomicLong();
    private final AtomicLong recordsDropped = new AtomicLong();
    private final AtomicLong unknownPskIdentities = new AtomicLong();
    private volatile long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;

    @Override
    public void startHandshake() {
        handshakesStarted.incrementAndGet();
    }

    @Override
    public void endHandshake(boolean success) {
        (success ? handshakesSucceeded : handshakesFailed).incrementAndGet();
    }

    @Override
    public void receivingRecord(boolean dropped) {
        (dropped ? recordsDropped : recordsReceived).incrementAndGet();
    }

    @Override
    public void sendingRecord(boolean dropped) {
        // outgoing drops are Californium's own back-pressure; not a security signal
    }

    @Override
    public void onAlert(InetSocketAddress peer, AlertMessage alert) {
        if (alert.getDescription() == AlertDescription.UNKNOWN_PSK_IDENTITY) {
            long count = unknownPskIdentities.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastLogNanos > LOG_INTERVAL_NANOS) {
                lastLogNanos = now;
                LOG.warn("DTLS handshake from {} used an unknown PSK identity ({} so far); it was ignored", peer, count);
            }
        }
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public void dump(String tag, int maxConnections, int remainingCapacity, int pendingWithoutVerify) {
        // figures are read through stats() instead of periodic log dumps
    }

    public Stats stats() {
        return new Stats(handshakesStarted.get(), handshakesSucceeded.get(), handshakesFailed.get(),
                recordsReceived.get(), recordsDropped.get(), unknownPskIdentities.get());
    }

    /** DTLS counters since start. */
    public record Stats(long handshakesStarted, long handshakesSucceeded, long handshakesFailed, long recordsReceived,
            long recordsDropped, long unknownPskIdentities) {
    }
}
