package org.orbis.client.support;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.orbis.client.firmware.FirmwarePackage;

/**
 * A firmware package served block-wise (Block2) from the test server's DTLS endpoint, at {@code /fw}. It records the
 * DTLS identity and block of every request, and can ignore requests to play a server that went away.
 */
public final class InTestPackageResource extends CoapResource {

    private volatile byte[] content = new byte[0];
    private final List<String> identities = new CopyOnWriteArrayList<>();
    private final List<Integer> blocks = new CopyOnWriteArrayList<>();
    private final List<Integer> blockSizes = new CopyOnWriteArrayList<>();
    private final AtomicInteger ignore = new AtomicInteger();

    public InTestPackageResource() {
        super("fw");
    }

    public void serve(byte[] bytes) {
        content = bytes.clone();
        blocks.clear();
        blockSizes.clear();
        identities.clear();
    }

    /** Leaves the next {@code count} requests unanswered. */
    public void ignoreNext(int count) {
        ignore.set(count);
    }

    /** Block numbers asked for, in order. */
    public List<Integer> blocks() {
        return List.copyOf(blocks);
    }

    public List<Integer> blockSizes() {
        return List.copyOf(blockSizes);
    }

    public List<String> identities() {
        return List.copyOf(identities);
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        Request request = exchange.advanced().getRequest();
        if (ignore.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return;
        }
        identities.add(request.getSourceContext().getPeerIdentity().getName());
        BlockOption asked = request.getOptions().getBlock2();
        int szx = asked == null ? BlockOption.size2Szx(1024) : asked.getSzx();
        int num = asked == null ? 0 : asked.getNum();
        int size = BlockOption.szx2Size(szx);
        blocks.add(num);
        blockSizes.add(size);
        byte[] bytes = content;
        int from = num * size;
        if (from > bytes.length) {
            exchange.respond(ResponseCode.BAD_OPTION);
            return;
        }
        int to = Math.min(bytes.length, from + size);
        Response response = new Response(ResponseCode.CONTENT);
        response.setPayload(Arrays.copyOfRange(bytes, from, to));
        response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_OCTET_STREAM);
        response.getOptions().setBlock2(szx, to < bytes.length, num);
        response.getOptions().addETag(Arrays.copyOf(FirmwarePackage.sha256(bytes), 8));
        if (num == 0) {
            response.getOptions().setSize2(bytes.length);
        }
        exchange.respond(response);
    }
}
