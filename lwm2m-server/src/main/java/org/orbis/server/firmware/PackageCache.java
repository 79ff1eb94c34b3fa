package org.orbis.server.firmware;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.orbis.world.firmware.FirmwareStore;

/**
 * Firmware packages in memory, least recently used out first, up to a total size: serving a block must not read the
 * database, and every device of a campaign downloads the same package. Thread-safe.
 */
final class PackageCache {

    private final FirmwareStore store;
    private final long maxBytes;
    private final Map<Long, CachedPackage> packages = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    PackageCache(FirmwareStore store, long maxBytes) {
        this.store = store;
        this.maxBytes = maxBytes;
    }

    /** The package if it is in memory; never touches the database. */
    synchronized CachedPackage cached(long imageId) {
        return packages.get(imageId);
    }

    /** The package, read from the database if needed (call off Californium's threads), or empty if there is none. */
    Optional<CachedPackage> load(long imageId) {
        CachedPackage cached = cached(imageId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<CachedPackage> loaded = store.content(imageId).map(CachedPackage::of);
        loaded.ifPresent(content -> put(imageId, content));
        return loaded;
    }

    synchronized void forget(long imageId) {
        CachedPackage removed = packages.remove(imageId);
        if (removed != null) {
            bytes -= removed.content().length;
        }
    }

    private synchronized void put(long imageId, CachedPackage content) {
        if (packages.containsKey(imageId)) {
            return;
        }
        packages.put(imageId, content);
        bytes += content.content().length;
        var eldest = packages.entrySet().iterator();
        while (bytes > maxBytes && packages.size() > 1 && eldest.hasNext()) {
            Map.Entry<Long, CachedPackage> entry = eldest.next();
            if (entry.getKey() != imageId) {
                bytes -= entry.getValue().content().length;
                eldest.remove();
            }
        }
    }

    /** A package's bytes and its ETag (the first 8 bytes of its SHA-256). */
    record CachedPackage(byte[] content, byte[] etag) {
        static CachedPackage of(byte[] content) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(content);
                return new CachedPackage(content, java.util.Arrays.copyOf(digest, 8));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
