package org.orbis.client.fleet;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the sockets of many virtual devices with one selector thread ({@code orbis-fleet-pump-N}) and hands each
 * datagram to its device's DTLS connector, which parses the record and moves decryption to the shared executor.
 */
final class DatagramPump implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramPump.class);
    private static final int MAX_DATAGRAM = 2048;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Registration> registrations = new ConcurrentLinkedQueue<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private volatile boolean running = true;

    private record Registration(DatagramChannel channel, DeviceConnector connector) {
    }

    DatagramPump(String name) throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void register(DatagramChannel channel, DeviceConnector connector) {
        registrations.add(new Registration(channel, connector));
        selector.wakeup();
    }

    private void run() {
        while (running) {
            try {
                selector.select(500);
                Registration registration;
                while ((registration = registrations.poll()) != null) {
                    try {
                        registration.channel().register(selector, SelectionKey.OP_READ, registration.connector());
                    } catch (ClosedChannelException e) {
                        // the device stopped before its socket was watched
                    }
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && key.isReadable()) {
                        drain((DatagramChannel) key.channel(), (DeviceConnector) key.attachment());
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.warn("fleet datagram pump: {}", e.toString());
                }
            }
        }
    }

    private void drain(DatagramChannel channel, DeviceConnector connector) {
        for (int i = 0; i < 16; i++) {
            buffer.clear();
            InetSocketAddress source;
            try {
                source = (InetSocketAddress) channel.receive(buffer);
            } catch (IOException e) {
                return;
            }
            if (source == null) {
                return;
            }
            buffer.flip();
            byte[] data = new byte[buffer.remaining()];
            buffer.get(data);
            connector.received(new DatagramPacket(data, data.length, source));
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2_000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
