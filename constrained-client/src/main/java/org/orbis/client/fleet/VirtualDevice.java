package org.orbis.client.fleet;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.EmptyMessage;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Message;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.coap.Token;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.RawDataChannel;
import org.eclipse.leshan.core.request.ContentFormat;

/**
 * One simulated LwM2M 1.1 device: registers (Register, Update, De-register) over its own DTLS connection, answers the
 * server's observe requests for {@code /1/0}, {@code /3/0} and {@code /3303/0}, and notifies Temperature (3303/0/5700)
 * at the fleet's rate. A minimal CoAP endpoint on Californium's message classes: piggy-backed answers, one confirmable
 * request and one confirmable notification in flight, RFC 7252 retransmission for both.
 *
 * <p>Called on the shared executor (datagrams, timers); every method synchronises on the device.
 */
final class VirtualDevice implements RawDataChannel {

    private enum State {
        IDLE, REGISTERING, REGISTERED, DEREGISTERING, STOPPED
    }

    private enum RequestKind {
        REGISTER, UPDATE, DEREGISTER
    }

    private static final long ACK_TIMEOUT_MS = 2_000;
    private static final int MAX_RETRANSMIT = 4;

    private final Fleet fleet;
    private final DeviceCredential credential;
    private final boolean queueMode;
    private final DeviceConnector connector;
    private State state = State.IDLE;
    private int mid = ThreadLocalRandom.current().nextInt(0x10000);
    private long tokens = ThreadLocalRandom.current().nextLong();
    private String location;
    private long registerStartedNanos;
    private boolean everRegistered;
    private boolean outcomeReported;

    private RequestKind pendingKind;
    private int pendingMid = -1;
    private byte[] pendingBytes;
    private int pendingAttempts;
    private ScheduledFuture<?> pendingTimeout;

    private Token temperatureToken;
    private ContentFormat temperatureFormat = ContentFormat.TLV;
    private int observeSequence = 2;
    private int notificationMid = -1;
    private byte[] notificationBytes;
    private int notificationAttempts;
    private ScheduledFuture<?> notificationTimeout;
    private ScheduledFuture<?> notifyTask;
    private ScheduledFuture<?> updateTask;
    private double temperature;

    private int lastRequestMid = -1;
    private byte[] lastAnswer;

    VirtualDevice(Fleet fleet, DeviceCredential credential, boolean queueMode) {
        this.fleet = fleet;
        this.credential = credential;
        this.queueMode = queueMode;
        this.connector = fleet.connector(credential);
        this.connector.setRawDataReceiver(this);
        this.temperature = 18 + ThreadLocalRandom.current().nextDouble() * 6;
    }

    String endpoint() {
        return credential.endpoint();
    }

    /** Binds the socket and sends Register; the DTLS handshake happens on the way. */
    synchronized void start() {
        if (state != State.IDLE) {
            return;
        }
        try {
            connector.start();
        } catch (IOException e) {
            fleet.stats().error("socket: " + e.getMessage());
            reportOutcome(false);
            state = State.STOPPED;
            return;
        }
        fleet.stats().started.increment();
        register();
    }

    private void register() {
        state = State.REGISTERING;
        registerStartedNanos = System.nanoTime();
        Request request = Request.newPost();
        request.getOptions().addUriPath("rd").addUriQuery("ep=" + credential.endpoint())
                .addUriQuery("lt=" + fleet.settings().lifetime().toSeconds()).addUriQuery("lwm2m=1.1")
                .addUriQuery("b=U");
        if (queueMode) {
            request.getOptions().addUriQuery("Q");
        }
        request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_LINK_FORMAT);
        request.setPayload(Fleet.OBJECT_LINKS);
        sendRequest(RequestKind.REGISTER, request);
    }

    private void update() {
        if (state != State.REGISTERED || pendingKind != null) {
            return;
        }
        Request request = Request.newPost();
        request.getOptions().setUriPath(location);
        sendRequest(RequestKind.UPDATE, request);
    }

    /** Sends De-register if registered; the device stops when it is answered or times out. */
    synchronized void deregister() {
        cancelTasks();
        if (state != State.REGISTERED || location == null) {
            stopNow();
            return;
        }
        state = State.DEREGISTERING;
        cancel(pendingTimeout);
        pendingKind = null;
        Request request = Request.newDelete();
        request.getOptions().setUriPath(location);
        sendRequest(RequestKind.DEREGISTER, request);
    }

    synchronized void stopNow() {
        cancelTasks();
        cancel(pendingTimeout);
        state = State.STOPPED;
        connector.destroy();
    }

    private void sendRequest(RequestKind kind, Request request) {
        request.setType(Type.CON);
        request.setMID(nextMid());
        request.setToken(nextToken());
        pendingKind = kind;
        pendingMid = request.getMID();
        pendingBytes = fleet.serialize(request);
        pendingAttempts = 0;
        transmitPending();
    }

    private void transmitPending() {
        send(pendingBytes);
        long timeout = (long) (ACK_TIMEOUT_MS * (1 + 0.5 * ThreadLocalRandom.current().nextDouble()))
                << pendingAttempts;
        int expected = pendingMid;
        pendingTimeout = fleet.scheduler().schedule(() -> pendingTimedOut(expected), timeout, TimeUnit.MILLISECONDS);
    }

    private synchronized void pendingTimedOut(int expectedMid) {
        if (pendingMid != expectedMid || pendingKind == null) {
            return;
        }
        if (pendingAttempts < MAX_RETRANSMIT) {
            pendingAttempts++;
            transmitPending();
            return;
        }
        RequestKind kind = pendingKind;
        pendingKind = null;
        pendingMid = -1;
        fleet.stats().error(kind.name().toLowerCase() + " timeout");
        switch (kind) {
        case REGISTER -> {
            reportOutcome(false);
            // try again later, with a fresh handshake, as a device would
            state = State.IDLE;
            connector.forceResumeAllSessions();
            fleet.scheduler().schedule(this::retryRegistration, 10 + ThreadLocalRandom.current().nextInt(20),
                    TimeUnit.SECONDS);
        }
        case UPDATE -> {
            cancelTasks();
            register();
        }
        case DEREGISTER -> stopNow();
        }
    }

    /** The first outcome ends this device's ramp-up slot; a success after a failure still counts as registered. */
    private void reportOutcome(boolean registered) {
        if (!outcomeReported) {
            outcomeReported = true;
            fleet.registrationEnded(this, registered);
        } else if (registered) {
            fleet.lateRegistration();
        }
    }

    private synchronized void retryRegistration() {
        if (state == State.IDLE) {
            register();
        }
    }

    @Override
    public void receiveData(RawData raw) {
        Message message;
        try {
            message = fleet.parse(raw.getBytes());
        } catch (RuntimeException e) {
            fleet.stats().error("unparsable datagram");
            return;
        }
        synchronized (this) {
            if (state == State.STOPPED) {
                return;
            }
            if (message instanceof Request request) {
                answer(request);
            } else if (message instanceof Response response) {
                responded(response);
            } else if (message instanceof EmptyMessage empty) {
                emptyMessage(empty);
            }
        }
    }

    private void responded(Response response) {
        if (response.getType() == Type.ACK && response.getMID() == pendingMid) {
            requestAnswered(response);
        } else if (response.getType() == Type.CON) {
            // a separate response: acknowledge it; requests are matched by MID only, so it is counted but not used
            send(fleet.serialize(EmptyMessage.newACK(response)));
            fleet.stats().error("separate response ignored");
        }
    }

    private void requestAnswered(Response response) {
        cancel(pendingTimeout);
        RequestKind kind = pendingKind;
        pendingKind = null;
        pendingMid = -1;
        ResponseCode code = response.getCode();
        switch (kind) {
        case REGISTER -> {
            if (code == ResponseCode.CREATED) {
                location = response.getOptions().getLocationPathString();
                state = State.REGISTERED;
                if (!everRegistered) {
                    everRegistered = true;
                    fleet.stats().registrationNanos.add(System.nanoTime() - registerStartedNanos);
                    reportOutcome(true);
                } else {
                    fleet.stats().reregistered.increment();
                }
                long period = fleet.settings().lifetime().toMillis() * 3 / 4;
                updateTask = fleet.scheduler().scheduleAtFixedRate(this::scheduledUpdate, period, period,
                        TimeUnit.MILLISECONDS);
            } else {
                fleet.stats().error("register " + code);
                reportOutcome(false);
                state = State.IDLE;
            }
        }
        case UPDATE -> {
            if (code == ResponseCode.CHANGED) {
                fleet.stats().updates.increment();
            } else {
                fleet.stats().error("update " + code);
                cancelTasks();
                register();
            }
        }
        case DEREGISTER -> {
            if (code == ResponseCode.DELETED) {
                fleet.stats().deregistered.increment();
            }
            stopNow();
        }
        }
    }

    private synchronized void scheduledUpdate() {
        update();
    }

    private void emptyMessage(EmptyMessage message) {
        if (message.getMID() == notificationMid) {
            cancel(notificationTimeout);
            notificationMid = -1;
            if (message.getType() == Type.ACK) {
                fleet.stats().notificationsAcked.increment();
            } else if (message.getType() == Type.RST) {
                // the server no longer knows this observation
                fleet.stats().error("notification reset");
                temperatureToken = null;
                cancel(notifyTask);
            }
        } else if (message.getType() == Type.ACK && message.getMID() == pendingMid) {
            fleet.stats().error("separate response ignored");
        }
    }

    /** Answers a server request piggy-backed; answers a retransmitted request the same way again. */
    private void answer(Request request) {
        if (request.getType() == Type.CON && request.getMID() == lastRequestMid && lastAnswer != null) {
            send(lastAnswer);
            return;
        }
        Response response = content(request);
        response.setType(request.getType() == Type.CON ? Type.ACK : Type.NON);
        response.setMID(request.getType() == Type.CON ? request.getMID() : nextMid());
        response.setToken(request.getToken());
        byte[] bytes = fleet.serialize(response);
        lastRequestMid = request.getMID();
        lastAnswer = bytes;
        send(bytes);
    }

    private Response content(Request request) {
        String path = request.getOptions().getUriPathString();
        if (request.getCode() != org.eclipse.californium.core.coap.CoAP.Code.GET) {
            return new Response(ResponseCode.METHOD_NOT_ALLOWED);
        }
        ContentFormat format = request.getOptions().hasAccept()
                ? ContentFormat.fromCode(request.getOptions().getAccept()) : ContentFormat.TLV;
        byte[] payload;
        try {
            payload = fleet.encode(path, format, temperature());
        } catch (RuntimeException e) {
            fleet.stats().error("cannot encode " + format);
            return new Response(ResponseCode.NOT_ACCEPTABLE);
        }
        if (payload == null) {
            return new Response(ResponseCode.NOT_FOUND);
        }
        Response response = new Response(ResponseCode.CONTENT);
        response.getOptions().setContentFormat(format.getCode());
        response.setPayload(payload);
        if (request.getOptions().hasObserve() && request.getOptions().getObserve() == 0) {
            response.getOptions().setObserve(observeSequence++);
            if (path.equals(Fleet.TEMPERATURE_PATH)) {
                boolean first = temperatureToken == null;
                temperatureToken = request.getToken();
                temperatureFormat = format;
                if (first) {
                    fleet.observed(this);
                    startNotifying();
                }
            }
        } else if (request.getOptions().hasObserve() && path.equals(Fleet.TEMPERATURE_PATH)) {
            temperatureToken = null;
            cancel(notifyTask);
        }
        return response;
    }

    private void startNotifying() {
        long period = fleet.notificationPeriodMillis();
        cancel(notifyTask);
        if (period > 0) {
            notifyTask = fleet.scheduler().scheduleAtFixedRate(this::notifyTemperature,
                    ThreadLocalRandom.current().nextLong(period), period, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void notifyTemperature() {
        if (state != State.REGISTERED || temperatureToken == null) {
            return;
        }
        if (notificationMid != -1) {
            // one confirmable notification in flight at a time (RFC 7641 §4.5.2): the newest value waits
            fleet.stats().notificationsSkipped.increment();
            return;
        }
        Response notification = new Response(ResponseCode.CONTENT);
        notification.setType(fleet.settings().confirmable() ? Type.CON : Type.NON);
        notification.setMID(nextMid());
        notification.setToken(temperatureToken);
        notification.getOptions().setObserve(observeSequence++ & 0xFFFFFF);
        notification.getOptions().setContentFormat(temperatureFormat.getCode());
        notification.setPayload(fleet.encode(Fleet.TEMPERATURE_PATH, temperatureFormat, temperature()));
        byte[] bytes = fleet.serialize(notification);
        fleet.stats().notificationsSent.increment();
        if (fleet.settings().confirmable()) {
            notificationMid = notification.getMID();
            notificationBytes = bytes;
            notificationAttempts = 0;
            transmitNotification();
        } else {
            send(bytes);
        }
    }

    private void transmitNotification() {
        send(notificationBytes);
        int expected = notificationMid;
        long timeout = ACK_TIMEOUT_MS << notificationAttempts;
        notificationTimeout = fleet.scheduler().schedule(() -> notificationTimedOut(expected), timeout,
                TimeUnit.MILLISECONDS);
    }

    private synchronized void notificationTimedOut(int expectedMid) {
        if (notificationMid != expectedMid) {
            return;
        }
        if (notificationAttempts < MAX_RETRANSMIT) {
            notificationAttempts++;
            transmitNotification();
        } else {
            fleet.stats().error("notification timeout");
            notificationMid = -1;
        }
    }

    private double temperature() {
        if (fleet.settings().timestampValues()) {
            return System.currentTimeMillis();
        }
        temperature = Math.max(15, Math.min(30, temperature + ThreadLocalRandom.current().nextGaussian() * 0.1));
        return Math.round(temperature * 100) / 100.0;
    }

    private void send(byte[] bytes) {
        connector.send(RawData.outbound(bytes, fleet.serverContext(), null, false));
    }

    private int nextMid() {
        mid = (mid + 1) & 0xFFFF;
        return mid;
    }

    private Token nextToken() {
        long value = ++tokens;
        return new Token(new byte[] {(byte) (value >> 56), (byte) (value >> 48), (byte) (value >> 40),
                (byte) (value >> 32), (byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value});
    }

    private void cancelTasks() {
        cancel(notifyTask);
        cancel(updateTask);
        cancel(notificationTimeout);
        notificationMid = -1;
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }
}
