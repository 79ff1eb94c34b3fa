package org.orbis.server.firmware;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.leshan.core.californium.EndpointContextUtil;
import org.eclipse.leshan.core.request.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /fw/<image id>} on the DM server's DTLS endpoint: firmware packages for devices to pull, block-wise (Block2,
 * blocks of up to {@value #MAX_BLOCK_SIZE} bytes, each block a separate GET so a device can resume from any block),
 * with the package's SHA-256 prefix as ETag and its size as Size2 on the first block. Only a device whose campaign
 * told it to fetch that image gets it (403 otherwise). Blocks are served from memory on Californium's thread; anything
 * that needs the database (an image not cached yet, a device not registered) is answered from the firmware executor.
 */
final class PackageResource extends CoapResource {

    static final String NAME = "fw";
    static final int MAX_BLOCK_SIZE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(PackageResource.class);

    private final PackageCache packages;
    private final PackageAccess access;
    private final Executor slowPath;

    PackageResource(PackageCache packages, PackageAccess access, Executor slowPath) {
        super(NAME);
        this.packages = packages;
        this.access = access;
        this.slowPath = slowPath;
        setVisible(false);
    }

    /** Every {@code /fw/<id>} lands here; the id is read from the request path. */
    @Override
    public Resource getChild(String name) {
        return this;
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        Request request = exchange.advanced().getRequest();
        List<String> path = request.getOptions().getUriPath();
        Long imageId = path.size() == 2 ? parseId(path.get(1)) : null;
        if (imageId == null) {
            access.refused();
            exchange.respond(ResponseCode.NOT_FOUND, "firmware packages are at /fw/<image id>");
            return;
        }
        Identity identity = EndpointContextUtil.extractIdentity(request.getSourceContext());
        String endpoint = access.endpointFromMemory(identity);
        PackageCache.CachedPackage content = packages.cached(imageId);
        if (endpoint != null && content != null && access.allowedFromMemory(endpoint, imageId) != null) {
            serve(exchange, request, endpoint, content);
            return;
        }
        exchange.accept();
        try {
            slowPath.execute(() -> answer(exchange, request, identity, imageId));
        } catch (RejectedExecutionException e) {
            exchange.respond(ResponseCode.SERVICE_UNAVAILABLE, "the server is stopping");
        }
    }

    /** Resolves the device and the package with the database's help, then serves or refuses. */
    private void answer(CoapExchange exchange, Request request, Identity identity, long imageId) {
        try {
            String endpoint = access.endpoint(identity);
            if (endpoint == null || !access.allowed(endpoint, imageId)) {
                access.refused();
                LOG.warn("{} asked for firmware package {} outside a campaign that sends it; refused",
                        endpoint == null ? identity : endpoint, imageId);
                exchange.respond(ResponseCode.FORBIDDEN, "no campaign sends image " + imageId + " to this device");
                return;
            }
            Optional<PackageCache.CachedPackage> content = packages.load(imageId);
            if (content.isEmpty()) {
                access.refused();
                exchange.respond(ResponseCode.NOT_FOUND, "no firmware image " + imageId);
                return;
            }
            serve(exchange, request, endpoint, content.get());
        } catch (RuntimeException e) {
            LOG.warn("serving firmware package {} failed: {}", imageId, e.toString());
            exchange.respond(ResponseCode.INTERNAL_SERVER_ERROR);
        }
    }

    private void serve(CoapExchange exchange, Request request, String endpoint, PackageCache.CachedPackage cached) {
        byte[] content = cached.content();
        BlockOption asked = request.getOptions().getBlock2();
        int size = Math.min(MAX_BLOCK_SIZE, asked == null ? MAX_BLOCK_SIZE : asked.getSize());
        int szx = BlockOption.size2Szx(size);
        long offset = asked == null ? 0 : (long) asked.getNum() * asked.getSize();
        if (offset >= content.length) {
            exchange.respond(ResponseCode.BAD_OPTION, "block beyond the end of the package");
            return;
        }
        int from = (int) offset;
        int to = Math.min(content.length, from + size);
        Response response = new Response(ResponseCode.CONTENT);
        response.setPayload(Arrays.copyOfRange(content, from, to));
        response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_OCTET_STREAM);
        response.getOptions().setBlock2(szx, to < content.length, from / size);
        response.getOptions().addETag(cached.etag());
        if (from == 0) {
            response.getOptions().setSize2(content.length);
        }
        access.served(endpoint, to - from);
        exchange.respond(response);
    }

    private static Long parseId(String text) {
        try {
            long id = Long.parseLong(text);
            return id > 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
