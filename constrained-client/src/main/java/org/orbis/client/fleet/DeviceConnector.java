package org.orbis.client.fleet;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;

/**
 * Scandium's DTLS connector for one virtual device, without threads of its own: its socket is a non-blocking
 * {@link DatagramChannel} that a shared {@link DatagramPump} reads, and it runs on the fleet's shared executor. The
 * DTLS protocol (handshake, records, retransmissions) is Scandium's, unchanged; only the I/O is multiplexed, which is
 * what lets tens of thousands of devices live in one JVM (a plain Scandium connector keeps one receiver thread).
 */
final class DeviceConnector extends DTLSConnector {

    private final DatagramPump pump;
    private DatagramChannel channel;

    DeviceConnector(DtlsConnectorConfig config, DatagramPump pump) {
        super(config);
        this.pump = pump;
    }

    @Override
    protected void start(InetSocketAddress bindAddress) throws IOException {
        channel = DatagramChannel.open(bindAddress.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            init(bindAddress, channel.socket(), null);
            channel.configureBlocking(false);
            pump.register(channel, this);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    protected void sendNextDatagramOverNetwork(DatagramPacket packet) throws IOException {
        DatagramChannel current = channel;
        if (current == null || !current.isOpen()) {
            throw new IOException("socket of " + getLabel() + " is closed");
        }
        // non-blocking: a full send buffer drops the datagram, as UDP may; DTLS and CoAP retransmit
        current.send(ByteBuffer.wrap(packet.getData(), packet.getOffset(), packet.getLength()), packet.getSocketAddress());
    }

    /** Called by the pump for every datagram read from this device's socket. */
    void received(DatagramPacket packet) {
        processDatagram(packet);
    }
}
