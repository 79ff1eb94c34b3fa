package org.orbis.server.registration.store;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.californium.core.coap.Message;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.serialization.UdpDataParser;
import org.eclipse.californium.core.network.serialization.UdpDataSerializer;
import org.eclipse.californium.core.observe.Observation;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.MapBasedEndpointContext;
import org.eclipse.californium.elements.MapBasedEndpointContext.Attributes;
import org.eclipse.californium.elements.util.DatagramReader;
import org.eclipse.californium.elements.util.DatagramWriter;
import org.eclipse.californium.elements.util.SerializationUtil;
import org.eclipse.californium.scandium.auth.PrincipalSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes a Californium {@link Observation} (the observe request with Leshan's user context, and the endpoint context
 * it was established in) as a compact byte array and back. The array is both the database column and the in-memory
 * form, so that an observation costs a few hundred bytes of heap instead of a live request object.
 *
 * <p>Layout (version 1): the CoAP request as on the wire; the user context as string pairs; then, if present, the
 * endpoint context's peer address, peer identity (Scandium's principal encoding) and attributes (Californium's).
 */
final class ObservationCodec {

    private static final Logger LOG = LoggerFactory.getLogger(ObservationCodec.class);
    private static final int VERSION = 1;
    private static final ThreadLocal<UdpDataParser> PARSER = ThreadLocal.withInitial(UdpDataParser::new);
    private static final UdpDataSerializer SERIALIZER = new UdpDataSerializer();

    private ObservationCodec() {
    }

    static byte[] encode(Observation observation) {
        Request request = observation.getRequest();
        DatagramWriter writer = new DatagramWriter(256);
        writer.writeByte((byte) VERSION);
        writer.writeVarBytes(SERIALIZER.getByteArray(request), 16);
        Map<String, String> user = request.getUserContext();
        writer.write(user == null ? 0 : user.size(), 8);
        if (user != null) {
            for (Map.Entry<String, String> entry : user.entrySet()) {
                SerializationUtil.write(writer, entry.getKey(), 16);
                SerializationUtil.write(writer, entry.getValue(), 16);
            }
        }
        EndpointContext context = observation.getContext();
        writer.writeByte(context == null ? (byte) 0 : (byte) 1);
        if (context != null) {
            SerializationUtil.write(writer, context.getPeerAddress());
            writePrincipal(writer, context.getPeerIdentity());
            SerializationUtil.write(writer, context.entries());
        }
        return writer.toByteArray();
    }

    /**
     * Rebuilds the observation; the request's destination context is the stored endpoint context (or none).
     *
     * @throws IllegalArgumentException if the bytes are not an encoded observation
     */
    static Observation decode(byte[] bytes) {
        DatagramReader reader = new DatagramReader(bytes, false);
        int version = reader.readNextByte();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown observation encoding version " + version);
        }
        Message message = PARSER.get().parseMessage(reader.readVarBytes(16));
        if (!(message instanceof Request request)) {
            throw new IllegalArgumentException("stored observation is not a request: " + message);
        }
        int pairs = reader.read(8);
        Map<String, String> user = new HashMap<>(Math.max(4, pairs * 2));
        for (int i = 0; i < pairs; i++) {
            user.put(SerializationUtil.readString(reader, 16), SerializationUtil.readString(reader, 16));
        }
        request.setUserContext(user);
        EndpointContext context = null;
        if (reader.readNextByte() == 1) {
            InetSocketAddress peer = SerializationUtil.readAddress(reader);
            Principal principal = readPrincipal(reader);
            Attributes attributes = SerializationUtil.readEndpointContexAttributes(reader,
                    MapBasedEndpointContext.ATTRIBUTE_DEFINITIONS);
            context = new MapBasedEndpointContext(peer, principal, attributes == null ? new Attributes() : attributes);
            request.setDestinationContext(context);
        }
        return new Observation(request, context);
    }

    private static void writePrincipal(DatagramWriter writer, Principal principal) {
        try {
            PrincipalSerializer.serialize(principal, writer);
        } catch (IllegalArgumentException e) {
            // An identity Scandium cannot encode is stored as anonymous: the observation still matches by cipher.
            LOG.debug("peer identity {} stored as anonymous: {}", principal, e.getMessage());
            PrincipalSerializer.serialize(null, writer);
        }
    }

    private static Principal readPrincipal(DatagramReader reader) {
        try {
            return PrincipalSerializer.deserialize(reader);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("stored peer identity cannot be decoded: " + e.getMessage(), e);
        }
    }
}
