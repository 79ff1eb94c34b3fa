package org.orbis.server.codec;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.leshan.core.model.LwM2mModel;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.TimestampedLwM2mNode;
import org.eclipse.leshan.core.node.codec.CodecException;
import org.eclipse.leshan.core.node.codec.DefaultLwM2mDecoder;
import org.eclipse.leshan.core.node.codec.LwM2mDecoder;
import org.eclipse.leshan.core.request.ContentFormat;

/**
 * Leshan's {@link DefaultLwM2mDecoder} with every failure reported as a {@link CodecException}. Fuzzing found that
 * Leshan 2.0.0-M5 lets some malformed payloads escape as other exceptions (a JSON payload with a garbled base name
 * throws {@code IllegalArgumentException: Invalid elements in path}); Leshan handles a {@code CodecException} as an
 * invalid payload, anything else as an internal error.
 */
public final class GuardedLwM2mDecoder implements LwM2mDecoder {

    private final LwM2mDecoder delegate;

    public GuardedLwM2mDecoder() {
        this(new DefaultLwM2mDecoder());
    }

    public GuardedLwM2mDecoder(LwM2mDecoder delegate) {
        this.delegate = delegate;
    }

    @Override
    public LwM2mNode decode(byte[] content, ContentFormat format, LwM2mPath path, LwM2mModel model) {
        return guarded(format, path, () -> delegate.decode(content, format, path, model));
    }

    @Override
    public <T extends LwM2mNode> T decode(byte[] content, ContentFormat format, LwM2mPath path, LwM2mModel model,
            Class<T> nodeClass) {
        return guarded(format, path, () -> delegate.decode(content, format, path, model, nodeClass));
    }

    @Override
    public Map<LwM2mPath, LwM2mNode> decodeNodes(byte[] content, ContentFormat format, List<LwM2mPath> paths,
            LwM2mModel model) {
        return guarded(format, null, () -> delegate.decodeNodes(content, format, paths, model));
    }

    @Override
    public List<TimestampedLwM2mNode> decodeTimestampedData(byte[] content, ContentFormat format, LwM2mPath path,
            LwM2mModel model) {
        return guarded(format, path, () -> delegate.decodeTimestampedData(content, format, path, model));
    }

    @Override
    public List<LwM2mPath> decodePaths(byte[] content, ContentFormat format) {
        return guarded(format, null, () -> delegate.decodePaths(content, format));
    }

    @Override
    public boolean isSupported(ContentFormat format) {
        return delegate.isSupported(format);
    }

    @Override
    public Set<ContentFormat> getSupportedContentFormat() {
        return delegate.getSupportedContentFormat();
    }

    private static <T> T guarded(ContentFormat format, LwM2mPath path, Decoding<T> decoding) {
        try {
            return decoding.run();
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException(e, "invalid %s payload%s: %s", format, path == null ? "" : " for " + path,
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (StackOverflowError e) {
            throw new CodecException("invalid %s payload%s: nested too deeply", format,
                    path == null ? "" : " for " + path);
        }
    }

    @FunctionalInterface
    private interface Decoding<T> {
        T run();
    }
}
