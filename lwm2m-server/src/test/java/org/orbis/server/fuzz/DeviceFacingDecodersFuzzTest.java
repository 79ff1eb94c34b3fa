package org.orbis.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.eclipse.leshan.core.link.DefaultLinkParser;
import org.eclipse.leshan.core.link.LinkParseException;
import org.eclipse.leshan.core.model.LwM2mModel;
import org.eclipse.leshan.core.model.StaticModel;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.node.TimestampedLwM2mNode;
import org.eclipse.leshan.core.node.codec.CodecException;
import org.eclipse.leshan.core.node.codec.DefaultLwM2mEncoder;
import org.eclipse.leshan.core.request.ContentFormat;
import org.junit.jupiter.api.Test;
import org.orbis.server.codec.GuardedLwM2mDecoder;
import org.orbis.server.ingest.NodeValues;
import org.orbis.server.models.ObjectModels;

/**
 * Repeatable, bounded fuzzing of the decoders that face devices, as Orbis uses them: Orbis's guarded Leshan decoder
 * (the one the DM server is built with) for TLV, JSON,
 * SenML JSON, SenML CBOR, plain text and opaque payloads followed by Orbis's {@link NodeValues} conversion, and the
 * CoRE link-format parser of registrations. Inputs are mutations (bit flips, insertions, deletions, truncations,
 * splices, random tails) of valid encodings, from a fixed seed: every run executes the same inputs, and a failure
 * prints the seed and the input in hex. The only acceptable failure is the decoder's own "this payload is invalid"
 * exception; anything else would surface as an unexpected exception on a Californium thread.
 * <p>
 * Seed and size: {@code -Dorbis.fuzz.seed=…} (default 20261123) and {@code -Dorbis.fuzz.executions=…} per format
 * (default 3000).
 */
class DeviceFacingDecodersFuzzTest {

    private static final long SEED = Long.getLong("orbis.fuzz.seed", 20261123L);
    private static final int EXECUTIONS = Integer.getInteger("orbis.fuzz.executions", 3000);
    private static final LwM2mModel MODEL = new StaticModel(ObjectModels.load());
    private static final GuardedLwM2mDecoder DECODER = new GuardedLwM2mDecoder();
    private static final List<LwM2mPath> PATHS = List.of(new LwM2mPath(3303, 0), new LwM2mPath(3303, 0, 5700),
            new LwM2mPath(3, 0), new LwM2mPath(3, 0, 0), new LwM2mPath(3311, 0, 5850), new LwM2mPath(3));
    private static final List<ContentFormat> FORMATS = List.of(ContentFormat.TLV, ContentFormat.JSON,
            ContentFormat.SENML_JSON, ContentFormat.SENML_CBOR, ContentFormat.TEXT, ContentFormat.OPAQUE);

    @Test
    void decodersAnswerEveryMutatedPayloadWithAValueOrACodecError() {
        long executions = 0;
        for (ContentFormat format : FORMATS) {
            List<byte[]> seeds = seeds(format);
            SplittableRandom random = new SplittableRandom(SEED ^ format.getCode());
            for (int i = 0; i < EXECUTIONS; i++) {
                byte[] input = Mutations.mutate(seeds.get(random.nextInt(seeds.size())), seeds, random);
                LwM2mPath path = PATHS.get(random.nextInt(PATHS.size()));
                decodeLikeOrbis(input, format, path);
                executions++;
            }
        }
        executions += fuzzLinkFormat();
        System.out.println("fuzz executions: " + executions + " (seed " + SEED + ")");
        assertThat(executions).isEqualTo((long) EXECUTIONS * (FORMATS.size() + 1));
    }

    private static void decodeLikeOrbis(byte[] input, ContentFormat format, LwM2mPath path) {
        try {
            LwM2mNode node = DECODER.decode(input, format, path, MODEL);
            NodeValues.flatten("fuzz", path, node, null, Instant.EPOCH);
            if (format.equals(ContentFormat.SENML_JSON) || format.equals(ContentFormat.SENML_CBOR)) {
                for (TimestampedLwM2mNode timestamped : DECODER.decodeTimestampedData(input, format, path, MODEL)) {
                    NodeValues.flatten("fuzz", path, timestamped.getNode(), null, Instant.EPOCH);
                }
            }
        } catch (CodecException expected) {
            // the payload is invalid for this path and model: Leshan answers the device with an error
        } catch (RuntimeException | StackOverflowError unexpected) {
            throw new AssertionError("decoding " + format + " at " + path + " threw " + unexpected + " for input "
                    + HexFormat.of().formatHex(input) + " (seed " + SEED + ")", unexpected);
        }
    }

    private static long fuzzLinkFormat() {
        DefaultLinkParser parser = new DefaultLinkParser();
        List<byte[]> seeds = List.of(
                "</>;rt=\"oma.lwm2m\";ct=110,</1/0>,</3/0>,</3303/0>;ver=1.1,</3311/0>".getBytes(StandardCharsets.UTF_8),
                "</rd>;rt=core.rd;ct=40,</3/0/0>;obs;pmin=10".getBytes(StandardCharsets.UTF_8),
                "<coap://[::1]:5683/x>;anchor=\"/a\";title=\"t\",</6>".getBytes(StandardCharsets.UTF_8));
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < EXECUTIONS; i++) {
            byte[] input = Mutations.mutate(seeds.get(random.nextInt(seeds.size())), seeds, random);
            try {
                parser.parse(input);
            } catch (LinkParseException expected) {
                // refused registration payload
            } catch (RuntimeException | StackOverflowError unexpected) {
                throw new AssertionError("link parser threw " + unexpected + " for input "
                        + HexFormat.of().formatHex(input) + " (seed " + SEED + ")", unexpected);
            }
        }
        return EXECUTIONS;
    }

    /** Valid encodings of the kinds of nodes devices send, in one format. */
    private static List<byte[]> seeds(ContentFormat format) {
        DefaultLwM2mEncoder encoder = new DefaultLwM2mEncoder();
        List<byte[]> seeds = new ArrayList<>();
        List<Object[]> nodes = List.of(
                new Object[] {new LwM2mPath(3303, 0, 5700), LwM2mSingleResource.newFloatResource(5700, 21.5)},
                new Object[] {new LwM2mPath(3, 0, 0), LwM2mSingleResource.newStringResource(0, "Orbis")},
                new Object[] {new LwM2mPath(3311, 0, 5850), LwM2mSingleResource.newBooleanResource(5850, true)},
                new Object[] {new LwM2mPath(3303, 0), new LwM2mObjectInstance(0,
                        LwM2mSingleResource.newFloatResource(5700, 19.25),
                        LwM2mSingleResource.newStringResource(5701, "Cel"))});
        for (Object[] node : nodes) {
            try {
                seeds.add(encoder.encode((LwM2mNode) node[1], format, (LwM2mPath) node[0], MODEL));
            } catch (CodecException notEncodable) {
                // e.g. an instance in TEXT: that format has no seed of this shape
            }
        }
        seeds.add(new byte[] {0x00});
        return seeds;
    }
}
