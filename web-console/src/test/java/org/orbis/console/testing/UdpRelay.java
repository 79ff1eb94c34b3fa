package org.orbis.console.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * A one-client UDP relay on loopback that stands in for a NAT: the client talks to {@link #address()}, the relay
 * forwards to the server from its own "public" socket, and {@link #rebind()} moves that socket to a new port, as a
 * NAT does when its mapping expires. Two daemon threads; {@link #close()} stops them.
 */
public final class UdpRelay implements AutoCloseable {

    private final DatagramSocket inside;
    private final InetSocketAddress server;
    private volatile DatagramSocket outside;
    private volatile SocketAddress client;
    private volatile boolean closed;
    private volatile boolean downlinkLost;

    public UdpRelay(InetSocketAddress server) {
        try {
            this.server = server;
            this.inside = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.outside = newOutside();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        Thread up = new Thread(this::clientToServer, "udp-relay-up");
        up.setDaemon(true);
        up.start();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) inside.getLocalSocketAddress();
    }

    /** The source port the server currently sees. */
    public int publicPort() {
        return outside.getLocalPort();
    }

    /** Moves to a new source port: from now on the server sees the client at another address. */
    public synchronized void rebind() {
        DatagramSocket old = outside;
        try {
            outside = newOutside();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        old.close();
    }

    /** While {@code lost}, every datagram from the server is dropped (the client's own still reach the server). */
    public void dropDownlink(boolean lost) {
        downlinkLost = lost;
    }

    private DatagramSocket newOutside() throws SocketException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread down = new Thread(() -> serverToClient(socket), "udp-relay-down-" + socket.getLocalPort());
        down.setDaemon(true);
        down.start();
        return socket;
    }

    private void clientToServer() {
        byte[] buffer = new byte[4096];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                inside.receive(packet);
                client = packet.getSocketAddress();
                outside.send(new DatagramPacket(packet.getData(), packet.getLength(), server));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serverToClient(DatagramSocket socket) {
        byte[] buffer = new byte[4096];
        while (!closed && !socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                if (client != null && !downlinkLost) {
                    inside.send(new DatagramPacket(packet.getData(), packet.getLength(), client));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        inside.close();
        outside.close();
    }
}
