package org.orbis.client.firmware;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pull download of a package: block-wise GETs (RFC 7959 Block2) of a {@code coap://} or {@code coaps://} Package
 * URI, one block at a time, from a given byte offset. It runs on its own CoAP endpoint (so each block is visible and a
 * download can resume from any block), over DTLS with the same credentials as the device's LwM2M session. A block that
 * does not come within the block timeout is asked for again after a fresh DTLS handshake (the server may have lost
 * the session), with back-off; after {@code maxRetries} failures in a row the download fails with "connection lost".
 * An ETag that changes mid-way means the package changed: the download starts again from byte 0.
 *
 * <p>Callbacks to the {@link Sink} run on the given executor, one at a time and in order.
 */
public final class PackageDownload {

    private static final Logger LOG = LoggerFactory.getLogger(PackageDownload.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    /** Why a download failed, with the Update Result a device reports for it. */
    public enum Failure {
        INVALID_URI(7), UNSUPPORTED_PROTOCOL(9), CONNECTION_LOST(4);

        private final int updateResult;

        Failure(int updateResult) {
            this.updateResult = updateResult;
        }

        public int updateResult() {
            return updateResult;
        }
    }

    /** Where the blocks go. */
    public interface Sink {

        /**
         * Stores {@code data} at byte {@code offset}, dropping anything stored beyond it.
         *
         * @param total the package size if the server said (Size2), else -1
         * @return {@code false} to stop the download (the sink has failed it itself)
         */
        boolean accept(long offset, byte[] data, long total, byte[] etag, boolean last);

        void completed();

        void failed(Failure failure, String detail);
    }

    private final String device;
    private final URI uri;
    private final Sink sink;
    private final ScheduledExecutorService executor;
    private final FirmwareSettings settings;
    private final int szx;
    private final CoapEndpoint endpoint;
    private byte[] etag;
    private long offset;
    private int failuresInARow;
    private Request pending;
    private ScheduledFuture<?> timeout;
    private boolean finished;

    private PackageDownload(String device, URI uri, long offset, byte[] etag, Sink sink, ScheduledExecutorService executor,
            FirmwareSettings settings, CoapEndpoint endpoint) {
        this.device = device;
        this.uri = uri;
        this.offset = offset;
        this.etag = etag;
        this.sink = sink;
        this.executor = executor;
        this.settings = settings;
        this.szx = BlockOption.size2Szx(settings.blockSize());
        this.endpoint = endpoint;
    }

    /**
     * Starts downloading {@code uri} from byte {@code offset}; fails through the sink (never throws) when the URI or
     * its scheme is unusable.
     *
     * @param dtls the DTLS configuration of the device's LwM2M session (its credentials), or {@code null} if none yet
     * @param etag the ETag of the part already stored, or {@code null}
     */
    public static PackageDownload start(String device, URI uri, long offset, byte[] etag, Sink sink,
            ScheduledExecutorService executor, FirmwareSettings settings, Configuration coapConfig,
            InetAddress localAddress, Supplier<DtlsConnectorConfig> dtls) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !List.of("coap", "coaps", "http", "https").contains(scheme)) {
            return failedAtOnce(device, uri, sink, executor, settings, Failure.INVALID_URI,
                    "'" + uri + "' is not a coap:// or coaps:// URI");
        }
        boolean secure = scheme.equals("coaps");
        if (settings.failure() == FirmwareFailure.UNSUPPORTED_PROTOCOL || scheme.startsWith("http")
                || !secure && !settings.coapAllowed()) {
            return failedAtOnce(device, uri, sink, executor, settings, Failure.UNSUPPORTED_PROTOCOL,
                    "this device does not download over " + scheme);
        }
        DtlsConnectorConfig session = secure ? dtls.get() : null;
        if (secure && session == null) {
            return failedAtOnce(device, uri, sink, executor, settings, Failure.CONNECTION_LOST,
                    "no DTLS credentials yet (the device has not connected to its server)");
        }
        CoapEndpoint endpoint = endpoint(coapConfig, localAddress, session, executor);
        PackageDownload download = new PackageDownload(device, uri, offset, etag, sink, executor, settings, endpoint);
        try {
            endpoint.start();
        } catch (IOException e) {
            endpoint.destroy();
            return failedAtOnce(device, uri, sink, executor, settings, Failure.CONNECTION_LOST,
                    "cannot open a socket: " + e.getMessage());
        }
        LOG.info("{} downloading {} from byte {}", device, uri, offset);
        executor.execute(download::requestNext);
        return download;
    }

    /** Stops the download (a power cut, a cancel); the sink hears nothing more. */
    public void cancel() {
        executor.execute(() -> finish(null, null));
    }

    private static PackageDownload failedAtOnce(String device, URI uri, Sink sink, ScheduledExecutorService executor,
            FirmwareSettings settings, Failure failure, String detail) {
        PackageDownload download = new PackageDownload(device, uri, 0, null, sink, executor, settings, null);
        executor.execute(() -> download.finish(failure, detail));
        return download;
    }

    private static CoapEndpoint endpoint(Configuration coapConfig, InetAddress localAddress, DtlsConnectorConfig session,
            ScheduledExecutorService executor) {
        Configuration config = new Configuration(coapConfig);
        // Each block goes to the download as it arrives; Californium must not assemble the body itself.
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, 0);
        CoapEndpoint.Builder builder = new CoapEndpoint.Builder().setConfiguration(config);
        if (session != null) {
            DTLSConnector connector = new DTLSConnector(DtlsConnectorConfig.builder(session)
                    .setAddress(new InetSocketAddress(localAddress, 0))
                    .set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY)
                    .build());
            connector.setExecutor(executor);
            builder.setConnector(connector);
        } else {
            builder.setInetSocketAddress(new InetSocketAddress(localAddress, 0));
        }
        CoapEndpoint endpoint = builder.build();
        endpoint.setExecutors(executor, executor);
        return endpoint;
    }

    private void requestNext() {
        if (finished) {
            return;
        }
        int num = (int) (offset / settings.blockSize());
        Request request = Request.newGet();
        try {
            request.setURI(uri);
        } catch (IllegalArgumentException e) {
            finish(Failure.INVALID_URI, "'" + uri + "': " + e.getMessage());
            return;
        }
        request.getOptions().setBlock2(szx, false, num);
        if (num == 0) {
            request.getOptions().setSize2(0);
        }
        request.addMessageObserver(new MessageObserverAdapter() {
            @Override
            public void onResponse(Response response) {
                executor.execute(() -> received(request, response));
            }

            @Override
            public void onTimeout() {
                executor.execute(() -> retry(request, "no answer"));
            }

            @Override
            public void onSendError(Throwable error) {
                executor.execute(() -> retry(request, "send failed: " + error.getMessage()));
            }

            @Override
            public void onReject() {
                executor.execute(() -> retry(request, "rejected"));
            }
        });
        pending = request;
        timeout = executor.schedule(() -> retry(request, "no block within " + settings.blockTimeout().toMillis() + " ms"),
                settings.blockTimeout().toMillis(), TimeUnit.MILLISECONDS);
        endpoint.sendRequest(request);
    }

    private void received(Request request, Response response) {
        if (finished || request != pending) {
            return;
        }
        timeout.cancel(false);
        ResponseCode code = response.getCode();
        if (code == ResponseCode.NOT_FOUND || code == ResponseCode.BAD_REQUEST || code == ResponseCode.BAD_OPTION) {
            finish(Failure.INVALID_URI, "the server answered " + code + " for " + uri);
            return;
        }
        if (code != ResponseCode.CONTENT) {
            retry(request, "the server answered " + code);
            return;
        }
        BlockOption block = response.getOptions().getBlock2();
        byte[] payload = response.getPayload();
        List<byte[]> etags = response.getOptions().getETags();
        byte[] responseEtag = etags.isEmpty() ? null : etags.get(0);
        long at = block == null ? 0 : block.getOffset();
        if (etag != null && responseEtag != null && !Arrays.equals(etag, responseEtag)) {
            LOG.info("{}: the package at {} changed (new ETag); downloading it again from the start", device, uri);
            etag = null;
            offset = 0;
            failuresInARow = 0;
            requestNext();
            return;
        }
        etag = responseEtag;
        if (at > offset) {
            retry(request, "the server sent byte " + at + " when " + offset + " was asked for");
            return;
        }
        failuresInARow = 0;
        boolean last = block == null || !block.isM();
        long total = response.getOptions().hasSize2() ? response.getOptions().getSize2() : -1;
        if (!sink.accept(at, payload, total, etag, last)) {
            finish(null, null);
            return;
        }
        offset = at + payload.length;
        if (last) {
            LOG.info("{} downloaded {} ({} bytes)", device, uri, offset);
            finish(null, null);
            sink.completed();
        } else if (settings.blockInterval().isZero()) {
            requestNext();
        } else {
            pending = null;
            executor.schedule(this::requestNext, settings.blockInterval().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void retry(Request request, String reason) {
        if (finished || request != pending) {
            return;
        }
        timeout.cancel(false);
        request.cancel();
        failuresInARow++;
        if (failuresInARow > settings.maxRetries()) {
            finish(Failure.CONNECTION_LOST, "gave up at byte " + offset + " after " + failuresInARow + " failures: "
                    + reason);
            return;
        }
        long backoff = Math.min(MAX_BACKOFF.toMillis(), 250L << Math.min(10, failuresInARow - 1));
        LOG.info("{}: block at byte {} of {} failed ({}); reconnecting and asking again in {} ms", device, offset, uri,
                reason, backoff);
        if (endpoint.getConnector() instanceof DTLSConnector dtls) {
            // The server may have restarted and lost our session: the next request starts a new handshake.
            dtls.clearConnectionState();
        }
        pending = null;
        executor.schedule(this::requestNext, backoff, TimeUnit.MILLISECONDS);
    }

    private void finish(Failure failure, String detail) {
        if (finished) {
            return;
        }
        finished = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (pending != null) {
            pending.cancel();
        }
        if (endpoint != null) {
            endpoint.destroy();
        }
        if (failure != null) {
            LOG.warn("{}: download of {} failed: {}", device, uri, detail);
            sink.failed(failure, detail);
        }
    }
}
