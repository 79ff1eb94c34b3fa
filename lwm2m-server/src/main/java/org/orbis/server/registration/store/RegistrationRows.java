package org.orbis.server.registration.store;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.leshan.core.LwM2m.LwM2mVersion;
import org.eclipse.leshan.core.link.DefaultLinkParser;
import org.eclipse.leshan.core.link.DefaultLinkSerializer;
import org.eclipse.leshan.core.link.Link;
import org.eclipse.leshan.core.link.LinkParser;
import org.eclipse.leshan.core.link.LinkSerializer;
import org.eclipse.leshan.core.request.BindingMode;
import org.eclipse.leshan.core.request.Identity;
import org.eclipse.leshan.server.registration.Registration;

/**
 * Maps a Leshan {@link Registration} to a {@code lwm2m_registration} row and back. Everything Leshan derives from the
 * object links (root path, supported objects and content formats, available instances) is derived again when a row
 * is read, exactly as Leshan does at registration.
 */
final class RegistrationRows {

    static final String COLUMNS = "registration_id, endpoint, identity_kind, identity_value, peer_host, peer_port, "
            + "lifetime_s, lwm2m_version, binding, queue_mode, sms_number, object_links, root_path, "
            + "additional_attributes, application_data, registered_at, last_update, expires_at";
    static final String INSERT = "INSERT INTO lwm2m_registration (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String UPDATE = "UPDATE lwm2m_registration SET endpoint = ?, identity_kind = ?, identity_value = ?, "
            + "peer_host = ?, peer_port = ?, lifetime_s = ?, lwm2m_version = ?, binding = ?, queue_mode = ?, "
            + "sms_number = ?, object_links = ?, root_path = ?, additional_attributes = ?, application_data = ?, "
            + "registered_at = ?, last_update = ?, expires_at = ? WHERE registration_id = ?";

    private static final LinkSerializer LINK_SERIALIZER = new DefaultLinkSerializer();
    private static final LinkParser LINK_PARSER = new DefaultLinkParser();

    private RegistrationRows() {
    }

    /** Binds all columns in {@link #INSERT} order. */
    static void bindInsert(PreparedStatement statement, Registration registration) throws SQLException {
        statement.setString(1, registration.getId());
        bindData(statement, 2, registration);
    }

    /** Binds all columns in {@link #UPDATE} order (the id last). */
    static void bindUpdate(PreparedStatement statement, Registration registration) throws SQLException {
        int next = bindData(statement, 1, registration);
        statement.setString(next, registration.getId());
    }

    private static int bindData(PreparedStatement statement, int first, Registration registration) throws SQLException {
        int i = first;
        Identity identity = registration.getIdentity();
        statement.setString(i++, registration.getEndpoint());
        statement.setString(i++, IdentityKind.of(identity).name());
        statement.setString(i++, IdentityKind.of(identity).value(identity));
        statement.setString(i++, identity.getPeerAddress().getAddress().getHostAddress());
        statement.setInt(i++, identity.getPeerAddress().getPort());
        statement.setLong(i++, registration.getLifeTimeInSec());
        statement.setString(i++, registration.getLwM2mVersion().toString());
        statement.setString(i++, BindingMode.toString(registration.getBindingMode()));
        if (registration.getQueueMode() == null) {
            statement.setNull(i++, Types.BOOLEAN);
        } else {
            statement.setBoolean(i++, registration.getQueueMode());
        }
        statement.setString(i++, registration.getSmsNumber());
        Link[] links = registration.getObjectLinks();
        statement.setString(i++, links == null ? null : LINK_SERIALIZER.serialize(links));
        statement.setString(i++, registration.getRootPath());
        statement.setString(i++, encodeMap(registration.getAdditionalRegistrationAttributes()));
        statement.setString(i++, encodeMap(registration.getApplicationData()));
        setInstant(statement, i++, registration.getRegistrationDate().toInstant());
        setInstant(statement, i++, registration.getLastUpdate().toInstant());
        setInstant(statement, i++, Instant.ofEpochMilli(registration.getExpirationTimeStamp()));
        return i;
    }

    /** Reads the row {@code rs} is on (selected with {@link #COLUMNS}). */
    static Registration read(ResultSet rs) throws SQLException {
        String id = rs.getString("registration_id");
        InetSocketAddress peer = new InetSocketAddress(address(rs.getString("peer_host")), rs.getInt("peer_port"));
        Identity identity = IdentityKind.valueOf(rs.getString("identity_kind")).identity(peer,
                rs.getString("identity_value"));
        LwM2mVersion version = LwM2mVersion.get(rs.getString("lwm2m_version"));
        Registration.Builder builder = new Registration.Builder(id, rs.getString("endpoint"), identity)
                .lwM2mVersion(version)
                .lifeTimeInSec(rs.getLong("lifetime_s"))
                .bindingMode(BindingMode.parse(rs.getString("binding")))
                .smsNumber(rs.getString("sms_number"))
                .rootPath(rs.getString("root_path"))
                .additionalRegistrationAttributes(decodeMap(rs.getString("additional_attributes")))
                .applicationData(decodeMap(rs.getString("application_data")))
                .registrationDate(Date.from(getInstant(rs, "registered_at")))
                .lastUpdate(Date.from(getInstant(rs, "last_update")));
        boolean queueMode = rs.getBoolean("queue_mode");
        builder.queueMode(rs.wasNull() ? null : queueMode);
        String links = rs.getString("object_links");
        if (links != null) {
            builder.objectLinks(LINK_PARSER.parse(links.getBytes(StandardCharsets.UTF_8)))
                    .extractDataFromObjectLink(true);
        }
        return builder.build();
    }

    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** {@code k=v&k2=v2}, URL-encoded; {@code null} for an empty map. */
    static String encodeMap(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        return map.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static Map<String, String> decodeMap(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return map;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            map.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return map;
    }

    private static String encode(String text) {
        return text == null ? "" : URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static InetAddress address(String host) throws SQLException {
        try {
            // a literal IP address, never a name lookup
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new SQLException("stored peer address '" + host + "' is not an IP address", e);
        }
    }

    /** How a device authenticated, and the one value that identifies it for that kind. */
    enum IdentityKind {
        UNSECURE, PSK, RPK, X509;

        static IdentityKind of(Identity identity) {
            if (identity.isPSK()) {
                return PSK;
            }
            if (identity.isRPK()) {
                return RPK;
            }
            if (identity.isX509()) {
                return X509;
            }
            return UNSECURE;
        }

        String value(Identity identity) {
            return switch (this) {
            case PSK -> identity.getPskIdentity();
            case RPK -> identity.getRawPublicKey().getAlgorithm() + ":"
                    + Base64.getEncoder().encodeToString(identity.getRawPublicKey().getEncoded());
            case X509 -> identity.getX509CommonName();
            case UNSECURE -> null;
            };
        }

        Identity identity(InetSocketAddress peer, String value) throws SQLException {
            return switch (this) {
            case PSK -> Identity.psk(peer, value);
            case RPK -> Identity.rpk(peer, publicKey(value));
            case X509 -> Identity.x509(peer, value);
            case UNSECURE -> Identity.unsecure(peer);
            };
        }

        private static PublicKey publicKey(String value) throws SQLException {
            int colon = value.indexOf(':');
            try {
                return KeyFactory.getInstance(value.substring(0, colon))
                        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(value.substring(colon + 1))));
            } catch (GeneralSecurityException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
                throw new SQLException("stored raw public key cannot be decoded: " + e.getMessage(), e);
            }
        }
    }
}
