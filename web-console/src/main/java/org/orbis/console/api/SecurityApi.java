package org.orbis.console.api;

import io.javalin.http.Context;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.orbis.bootstrap.provisioning.CredentialRequest;
import org.orbis.bootstrap.provisioning.DeviceProvisioning;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.server.operations.OperationResult;
import org.orbis.world.credentials.AuditEntry;
import org.orbis.world.credentials.CredentialMode;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.DeviceCredential;
import org.orbis.world.credentials.DuplicateCredentialException;
import org.orbis.world.graph.Device;

/** Credential lifecycle: rotate a device's credential, revoke a device, read the security audit log. */
final class SecurityApi {

    private static final int DEFAULT_AUDIT_PAGE = 100;
    private static final int MAX_AUDIT_PAGE = 1000;
    /** Execute on Server /1/0/9, "Bootstrap-Request Trigger" (LwM2M 1.1). */
    private static final String BOOTSTRAP_TRIGGER = "/1/0/9";

    private final OrbisPlatform platform;

    SecurityApi(OrbisPlatform platform) {
        this.platform = platform;
    }

    record RotateBody(String target, String mode, String pskIdentity, String pskKey, String publicKey,
            String certificate) {
    }

    record RevokeBody(String reason) {
    }

    record RotatedView(String endpoint, String target, CredentialViews.CredentialView credential, String delivery,
            String note) {
    }

    record RevokedView(String endpoint, Instant revokedAt, int credentialsRevoked) {
    }

    record AuditView(long id, Instant occurredAt, String endpoint, String action, String detail) {
    }

    /**
     * Replaces the device's DM (default) or bootstrap credential. For a registered device that bootstraps, the DM
     * server first asks it to bootstrap again (Execute /1/0/9), so it fetches the new DM credential at once; the old
     * credential stops working and its DTLS session is dropped as soon as the new one is stored.
     */
    void rotate(Context ctx) {
        Device device = requireDevice(ctx.pathParam("endpoint"));
        RotateBody body = ctx.body().isBlank() ? new RotateBody(null, null, null, null, null, null)
                : Json.parse(ctx.body(), RotateBody.class);
        CredentialPurpose purpose = purpose(body.target());
        DeviceCredential current = platform.credentials().credential(purpose, device.endpoint())
                .orElseThrow(() -> ApiException.conflict("device '" + device.endpoint() + "' has no "
                        + label(purpose) + " credential"));
        if (current.isRevoked()) {
            throw ApiException.conflict("device '" + device.endpoint() + "' is revoked; provision it anew");
        }
        CredentialMode mode = CredentialViews.mode("mode", body.mode(), current.mode());
        CredentialRequest request = CredentialViews.request("", mode, body.pskIdentity(), body.pskKey(),
                body.publicKey(), body.certificate());
        DeviceProvisioning.Rotation rotation;
        try {
            rotation = platform.provisioning().rotateKeepingSessions(device.endpoint(), purpose, request);
        } catch (DuplicateCredentialException e) {
            throw ApiException.conflict(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        String delivery = "manual";
        if (purpose == CredentialPurpose.DM) {
            // the new credential is stored; the old session still carries the trigger, then it is dropped
            delivery = triggerBootstrap(device.endpoint());
            if (delivery.equals("bootstrap-triggered")) {
                awaitReRegistration(device.endpoint(), rotation.old());
            }
        }
        platform.credentials().withdraw(List.of(rotation.old()), "rotated");
        DeviceCredential rotated = rotation.replacement();
        boolean dm = purpose == CredentialPurpose.DM;
        X509Certificate serverCertificate = (dm ? platform.security().dmServer() : platform.security().bootstrapServer())
                .identity().certificate();
        ctx.json(new RotatedView(device.endpoint(), label(purpose), CredentialViews.CredentialView.of(
                dm ? platform.dmServerUri() : platform.bootstrapServerUri(), rotated, serverCertificate), delivery,
                "The old credential no longer works. Secrets are shown only in this answer."
                        + (dm ? " The device receives the new DM credential when it next bootstraps." 
                                : " Install the new bootstrap credential on the device.")));
    }

    void revoke(Context ctx) {
        Device device = requireDevice(ctx.pathParam("endpoint"));
        RevokeBody body = ctx.body().isBlank() ? new RevokeBody(null) : Json.parse(ctx.body(), RevokeBody.class);
        String reason = body.reason() == null || body.reason().isBlank() ? "revoked by an operator" : body.reason();
        if (reason.length() > 500) {
            throw ApiException.badRequest("field 'reason' must have at most 500 characters");
        }
        List<DeviceCredential> revoked = platform.credentials().revoke(device.endpoint(), reason);
        Instant when = platform.credentials().credential(CredentialPurpose.DM, device.endpoint())
                .map(DeviceCredential::revokedAt).orElse(null);
        ctx.json(new RevokedView(device.endpoint(), when, revoked.size()));
    }

    void audit(Context ctx) {
        String endpoint = ctx.queryParam("endpoint");
        long after = longParam(ctx, "after", 0);
        int limit = (int) longParam(ctx, "limit", DEFAULT_AUDIT_PAGE);
        if (limit < 1 || limit > MAX_AUDIT_PAGE) {
            throw ApiException.badRequest("query parameter 'limit' must be between 1 and " + MAX_AUDIT_PAGE);
        }
        List<AuditView> entries = platform.credentials().auditLog(endpoint == null || endpoint.isBlank() ? null
                : endpoint, after, limit).stream().map(SecurityApi::view).toList();
        ctx.json(Map.of("entries", entries));
    }

    /** Asks a registered device to bootstrap again; a device that is not registered will on its next attempt. */
    private String triggerBootstrap(String endpoint) {
        try {
            OperationResult result = platform.dmServer().operations().execute(endpoint, BOOTSTRAP_TRIGGER, null)
                    .get(platform.dmServer().operationTimeoutMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return result.isSuccess() ? "bootstrap-triggered" : "next-bootstrap";
        } catch (RuntimeException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return "next-bootstrap";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "next-bootstrap";
        }
    }

    /** Waits (bounded) until the device is no longer registered with the old credential. */
    private void awaitReRegistration(String endpoint, DeviceCredential old) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            var registration = platform.dmServer().leshan().getRegistrationService().getByEndpoint(endpoint);
            if (registration != null && !sameIdentity(registration.getIdentity(), old)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean sameIdentity(org.eclipse.leshan.core.request.Identity identity, DeviceCredential credential) {
        return switch (credential.mode()) {
            case PSK -> identity.isPSK() && identity.getPskIdentity().equals(credential.pskIdentity());
            case RPK -> identity.isRPK()
                    && java.util.Arrays.equals(identity.getRawPublicKey().getEncoded(), credential.publicKey());
            case X509 -> identity.isX509();
        };
    }

    private static AuditView view(AuditEntry entry) {
        return new AuditView(entry.id(), entry.occurredAt(), entry.endpoint(), entry.action(), entry.detail());
    }

    private static CredentialPurpose purpose(String target) {
        if (target == null || target.equalsIgnoreCase("dm") || target.equalsIgnoreCase("server")) {
            return CredentialPurpose.DM;
        }
        if (target.equalsIgnoreCase("bootstrap")) {
            return CredentialPurpose.BOOTSTRAP;
        }
        throw ApiException.badRequest("field 'target' must be 'dm' or 'bootstrap', not '" + target + "'");
    }

    private static String label(CredentialPurpose purpose) {
        return purpose.name().toLowerCase(Locale.ROOT);
    }

    private Device requireDevice(String endpoint) {
        return platform.world().device(endpoint).orElseThrow(() -> ApiException.notFound("no device '" + endpoint
                + "' is provisioned; create it with POST /api/devices"));
    }

    private static long longParam(Context ctx, String name, long defaultValue) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be an integer, not '" + text + "'");
        }
    }
}
